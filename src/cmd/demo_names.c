/* demo_names: plausible Chinese names for the demo district. Surnames are weighted roughly by
 * their frequency in Shandong (王 张 李 刘 lead; 孙 于 姜 曲 隋 are more common on the
 * Jiaodong peninsula than nationally); given names are one or two characters drawn from
 * lists that lean male, female or either. */
#include <stdio.h>
#include <string.h>
#include "cmd/demo.h"

struct surname {
	const char *s;
	unsigned weight; /* about per ten thousand people */
};

static const struct surname surnames[] = {
    {"王", 745}, {"张", 690}, {"李", 655}, {"刘", 520}, {"孙", 310}, {"杨", 245}, {"赵", 240},
    {"陈", 215}, {"于", 205}, {"徐", 190}, {"高", 185}, {"周", 160}, {"马", 150}, {"姜", 145},
    {"吴", 140}, {"宋", 135}, {"郭", 130}, {"黄", 120}, {"朱", 120}, {"董", 115}, {"林", 110},
    {"胡", 110}, {"韩", 100}, {"曲", 90},  {"田", 90},	{"崔", 90},  {"曹", 85},  {"袁", 80},
    {"纪", 80},	 {"邵", 80},  {"孟", 80},  {"许", 75},	{"冯", 70},  {"隋", 65},  {"薛", 60},
    {"毛", 60},	 {"郑", 60},  {"魏", 60},  {"梁", 60},	{"何", 60},  {"邓", 55},  {"程", 55},
    {"吕", 50},	 {"丁", 50},  {"贾", 50},  {"谢", 50},	{"唐", 50},  {"范", 50},  {"罗", 50},
    {"杜", 45},	 {"姚", 45},  {"卢", 45},  {"侯", 45},	{"石", 45},  {"任", 45},  {"苏", 45},
    {"万", 40},	 {"江", 40},  {"汪", 40},  {"傅", 40},	{"潘", 40},  {"秦", 40},  {"房", 40},
    {"葛", 40},	 {"蒋", 40},  {"沈", 40},  {"彭", 40},	{"武", 40},  {"钟", 35},  {"邱", 35},
    {"修", 35},	 {"蔡", 35},  {"夏", 35},  {"方", 35},	{"叶", 35},  {"金", 35},  {"白", 35},
    {"尹", 35},	 {"史", 35},  {"常", 35},  {"矫", 30},	{"栾", 30},  {"臧", 30},  {"滕", 30},
    {"宫", 30},	 {"初", 30},  {"贺", 30},  {"顾", 30},	{"陆", 30},  {"谭", 30},  {"邹", 30},
    {"段", 30},	 {"陶", 30},  {"乔", 30},  {"牛", 30},	{"鲁", 30},  {"牟", 30},  {"逄", 25},
    {"熊", 25},	 {"雷", 25},  {"刁", 25},  {"鞠", 25},	{"迟", 25},  {"仲", 20},  {"龚", 20},
    {"廖", 20},	 {"战", 20},  {"衣", 20},  {"黎", 15},	{"欧阳", 5}, {"司马", 2},
};

/* Each string holds UTF-8 characters of 3 bytes; a name takes them by index. */
static const char male_chars[] =
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁健亮浩峰凯龙林东洋建国俊志成宇博晨旭阳昊天然"
    "泽瑞轩航诚毅彬鸿振海江山庆福贵生祥永兴德胜利武忠新民善良仁义帅坤铭睿哲皓煜宏光立"
    "栋梁松柏刚锋智勤奎虎豪伦"
    "岩恒宾达彪卫兵文斌顺发富军凡晖朗锐鹤劲骏尧舜琛磊钧";
static const char female_chars[] =
    "芳娜敏静丽艳娟霞燕玲桂英秀兰萍红梅琳雪婷慧莉倩颖洁晶蕾薇琴欣怡悦妍涵萱雯璐瑶佳璇"
    "茜岚露月彤琪梦诗雨菲嘉蓉凤珍玉花婉娇淑惠美素云青荣翠香莲爱霏娅楠蓓妮琦馨媛瑾姝"
    "芸芝芬萌丹琼琬韵蕊黛秋菊冰洁虹霓菡茵莹岚彩珊瑛婵娥";
static const char either_chars[] =
    "子一小晓思可文心安乐金秋春冬夏晴宁益清正和家少世之若长元永浩明瑞嘉俊欣雨睿诗梓"
    "景博奕昕语涵轩逸沐辰佳宜初言书航星辉宇尚希远志诚润泓蕴晨曦";

static unsigned surname_total(void)
{
	static unsigned total;
	if (!total)
		for (size_t i = 0; i < sizeof(surnames) / sizeof(surnames[0]); i++)
			total += surnames[i].weight;
	return total;
}

void fk_demo_name_surname(struct fk_demo_rng *r, char *out, size_t size)
{
	unsigned x = fk_demo_rng_below(r, surname_total());
	size_t i = 0;

	while (x >= surnames[i].weight) {
		x -= surnames[i].weight;
		i++;
	}
	snprintf(out, size, "%s", surnames[i].s);
}

/* Appends one character (3 UTF-8 bytes) picked from chars. */
static void append_char(struct fk_demo_rng *r, const char *chars, size_t nbytes, char *out,
			size_t size)
{
	size_t n = nbytes / 3;
	size_t k = fk_demo_rng_below(r, (uint32_t)n);
	size_t len = strlen(out);

	if (len + 4 > size)
		return;
	memcpy(out + len, chars + 3 * k, 3);
	out[len + 3] = '\0';
}

static void pick_char(struct fk_demo_rng *r, char sex, char *out, size_t size)
{
	/* Three in four characters follow the sex; the rest come from the shared list. */
	if (fk_demo_rng_below(r, 4) == 0)
		append_char(r, either_chars, sizeof(either_chars) - 1, out, size);
	else if (sex == 'F')
		append_char(r, female_chars, sizeof(female_chars) - 1, out, size);
	else
		append_char(r, male_chars, sizeof(male_chars) - 1, out, size);
}

void fk_demo_name_given(struct fk_demo_rng *r, char sex, char *out, size_t size)
{
	pick_char(r, sex, out, size);
	if (fk_demo_rng_below(r, 100) < 78)
		pick_char(r, sex, out, size);
}
