/* sink: an export's rows as the reader may see them — ID numbers and phones masked unless
 * the role may see them in full or an admin unmasked the export — written as CSV lines. */
#include <string.h>
#include "base/csv.h"
#include "base/mask.h"
#include "exports/internal.h"

void ex_job_masks(struct ex_job *j)
{
	bool see_id = j->unmask || j->who.see_id;
	bool see_phone = j->unmask || j->who.see_phone;

	j->ncols = 0;
	for (int i = 0; j->kind->keys[i] && i < (int)(sizeof(j->mask) / sizeof(j->mask[0])); i++) {
		const char *k = j->kind->keys[i];
		size_t n = strlen(k);
		if (strcmp(k, "id_number") == 0 && !see_id)
			j->mask[i] = EX_MASK_ID;
		else if (n >= 5 && strcmp(k + n - 5, "phone") == 0 && !see_phone)
			j->mask[i] = EX_MASK_PHONE;
		else
			j->mask[i] = EX_KEEP;
		j->ncols++;
	}
}

const char *ex_cell(const struct ex_job *j, int i, const char *v, char *tmp, size_t sz)
{
	if (i >= j->ncols || j->mask[i] == EX_KEEP || !*v)
		return v;
	return j->mask[i] == EX_MASK_ID ? fk_mask_id(v, tmp, sz) : fk_mask_phone(v, tmp, sz);
}

int ex_csv_heads(struct ex_job *j)
{
	int rc = fk_buf_puts(&j->buf, "\xEF\xBB\xBF");

	for (int i = 0; rc == 0 && i < j->ncols; i++) {
		if (i)
			rc = fk_buf_putc(&j->buf, ',');
		if (rc == 0)
			rc = fk_csv_put_field(&j->buf, j->kind->heads[i]);
	}
	return rc == 0 ? fk_buf_puts(&j->buf, "\r\n") : rc;
}

int ex_csv_row(void *ctx, const char *const *v, int n)
{
	struct ex_job *j = ctx;
	char tmp[64];
	int rc = 0;

	for (int i = 0; rc == 0 && i < n; i++) {
		if (i)
			rc = fk_buf_putc(&j->buf, ',');
		if (rc == 0)
			rc = fk_csv_put_field(&j->buf, ex_cell(j, i, v[i], tmp, sizeof(tmp)));
	}
	if (rc == 0)
		rc = fk_buf_puts(&j->buf, "\r\n");
	j->rows++;
	j->last_page++;
	return rc;
}
