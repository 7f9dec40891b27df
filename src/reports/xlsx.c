/* xlsx: the daily report as an XLSX workbook (libxlsxwriter). One sheet "每日简报": row 1 the
 * title (area and date), row 2 the headings in Chinese (编码, 区域, then one per figure), row 3
 * the area itself, then its children one per row; figures are written as numbers. Set up to
 * print landscape on one page wide. */
#include <stdio.h>
#include <xlsxwriter.h>
#include "reports/internal.h"

static void write_row(lxw_worksheet *ws, lxw_row_t r, const struct fk_daily_row *row,
		      lxw_format *fmt)
{
	worksheet_write_string(ws, r, 0, row->code, fmt);
	worksheet_write_string(ws, r, 1, row->name, fmt);
	for (int i = 0; i < FK_DF_COUNT; i++)
		worksheet_write_number(ws, r, (lxw_col_t)(2 + i), (double)row->fig[i], fmt);
}

static void write_sheet(lxw_workbook *wb, const struct fk_daily_report *r)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "每日简报");
	lxw_format *bold = workbook_add_format(wb);
	lxw_format *total = workbook_add_format(wb);
	char title[400];

	format_set_bold(bold);
	format_set_bold(total);
	format_set_bg_color(total, 0xEEEEEE);
	snprintf(title, sizeof(title), "每日简报 %s %s", r->area.name, r->date);
	worksheet_write_string(ws, 0, 0, title, bold);
	worksheet_write_string(ws, 1, 0, "编码", bold);
	worksheet_write_string(ws, 1, 1, "区域", bold);
	for (int i = 0; i < FK_DF_COUNT; i++)
		worksheet_write_string(ws, 1, (lxw_col_t)(2 + i), fk_daily_fig_zh(i), bold);
	write_row(ws, 2, &r->area, total);
	for (int i = 0; i < r->nchildren; i++)
		write_row(ws, (lxw_row_t)(3 + i), &r->children[i], NULL);
	worksheet_set_column(ws, 0, 0, 18, NULL);
	worksheet_set_column(ws, 1, 1, 20, NULL);
	worksheet_set_column(ws, 2, 1 + FK_DF_COUNT, 12, NULL);
	worksheet_freeze_panes(ws, 2, 2);
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
}

int fk_daily_report_xlsx(const struct fk_daily_report *r, const char *path, struct fk_err *err)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_error e;

	if (!wb)
		return fk_err_set(err, FK_EINTERNAL, "xlsx_failed", "", "无法创建 XLSX 文件 %s",
				  "cannot create the XLSX file %s", path);
	write_sheet(wb, r);
	e = workbook_close(wb);
	if (e != LXW_NO_ERROR)
		return fk_err_set(err, FK_EINTERNAL, "xlsx_failed", "", "XLSX 文件写入失败：%s",
				  "writing the XLSX file failed: %s", lxw_strerror(e));
	return 0;
}
