/* demo_areas: the area tree of the demo district — 崂山区 with the four streets named in the
 * reports (中韩, 沙子口, 王哥庄, 北宅), ten communities each, ten grids per community and ten
 * buildings per grid, each area with its responsible person. */
#include <stdio.h>
#include <string.h>
#include "area/area.h"
#include "cmd/demo_int.h"

static const char *const street_names[FK_DEMO_STREETS] = {
    "中韩街道",
    "沙子口街道",
    "王哥庄街道",
    "北宅街道",
};

static const char *const community_names[FK_DEMO_STREETS][FK_DEMO_FANOUT] = {
    {"张村社区", "河东社区", "刘家下庄社区", "朱家洼社区", "埠西社区", "西韩社区", "东韩社区",
     "株洲路社区", "枯桃社区", "麦岛社区"},
    {"沙子口社区", "南九水社区", "大河东社区", "东麦窑社区", "西麦窑社区", "登瀛社区", "流清河社区",
     "姜哥庄社区", "小河东社区", "段家埠社区"},
    {"王哥庄社区", "晓望社区", "港东社区", "青山社区", "黄山社区", "返岭社区", "庙石社区",
     "雕龙嘴社区", "东台社区", "仰口社区"},
    {"北宅社区", "我乐社区", "东乌衣巷社区", "周哥庄社区", "双石屋社区", "卧龙社区", "毕家社区",
     "华楼社区", "五龙涧社区", "孙家社区"},
};

char *fk_demo_building_code(int b, char out[24])
{
	int street = b / 1000, community = b / 100 % 10, grid = b / 10 % 10, building = b % 10;
	snprintf(out, 24, FK_DEMO_DISTRICT_CODE "%03d%03dG%02dB%02d", street + 1, community + 1,
		 grid + 1, building + 1);
	return out;
}

/* [{"title":..,"name":..,"phone":..}] for one responsible person with a generated name. */
static void responsible_json(struct fk_demo_rng *r, const char *title, char *out, size_t size)
{
	char name[64];
	char sex = fk_demo_rng_below(r, 2) ? 'M' : 'F';

	fk_demo_name_surname(r, name, sizeof(name));
	fk_demo_name_given(r, sex, name, sizeof(name));
	snprintf(out, size, "[{\"title\":\"%s\",\"name\":\"%s\",\"phone\":\"1%u%09u\"}]", title,
		 name, 3 + fk_demo_rng_below(r, 3) * 2, fk_demo_rng_below(r, 1000000000));
}

static int create(struct fk_db *db, struct fk_demo_rng *r, int64_t parent, const char *kind,
		  const char *name, const char *code, const char *title, int64_t *id,
		  struct fk_err *err)
{
	struct fk_area a;
	char resp[256];
	int rc;

	memset(&a, 0, sizeof(a));
	responsible_json(r, title, resp, sizeof(resp));
	a.parent_id = parent;
	snprintf(a.kind, sizeof(a.kind), "%s", kind);
	snprintf(a.name, sizeof(a.name), "%s", name);
	snprintf(a.code, sizeof(a.code), "%s", code);
	a.responsible = resp;
	rc = fk_area_create(db, &a, err);
	*id = a.id;
	return rc;
}

static int create_grid(struct fk_db *db, struct fk_demo_rng *r, struct demo_tree *t, int g,
		       int64_t community, const char *community_code, struct fk_err *err)
{
	char code[32], name[32];
	int64_t grid;
	int rc;

	snprintf(code, sizeof(code), "%.24sG%02u", community_code, (unsigned)g % 10 + 1);
	snprintf(name, sizeof(name), "第%d网格", g % 10 + 1);
	rc = create(db, r, community, "grid", name, code, "网格员", &grid, err);
	for (int k = 0; rc == 0 && k < FK_DEMO_FANOUT; k++) {
		int b = g * FK_DEMO_FANOUT + k;
		char bcode[24];
		snprintf(name, sizeof(name), "%d号楼", k + 1);
		rc = create(db, r, grid, "building", name, fk_demo_building_code(b, bcode), "楼长",
			    &t->building[b], err);
	}
	return rc;
}

static int create_street(struct fk_db *db, struct fk_demo_rng *r, struct demo_tree *t, int s,
			 struct fk_err *err)
{
	char code[32], ccode[32];
	int64_t street, community;
	int rc;

	snprintf(code, sizeof(code), FK_DEMO_DISTRICT_CODE "%03d", s + 1);
	rc = create(db, r, t->district, "street", street_names[s], code, "街道党工委书记", &street,
		    err);
	for (int c = 0; rc == 0 && c < FK_DEMO_FANOUT; c++) {
		snprintf(ccode, sizeof(ccode), "%.24s%03u", code, (unsigned)(c + 1) % 1000);
		rc = create(db, r, street, "community", community_names[s][c], ccode,
			    "社区党委书记", &community, err);
		for (int g = 0; rc == 0 && g < FK_DEMO_FANOUT; g++)
			rc = create_grid(db, r, t, (s * FK_DEMO_FANOUT + c) * FK_DEMO_FANOUT + g,
					 community, ccode, err);
	}
	return rc;
}

int demo_areas_create(struct fk_db *db, uint64_t seed, struct demo_tree *t, struct fk_err *err)
{
	struct fk_demo_rng r;
	int rc;

	fk_demo_rng_seed(&r, seed ^ 0x6172656173ULL);
	rc = create(db, &r, 0, "district", "崂山区", FK_DEMO_DISTRICT_CODE,
		    "区疫情防控指挥部指挥长", &t->district, err);
	for (int s = 0; rc == 0 && s < FK_DEMO_STREETS; s++)
		rc = create_street(db, &r, t, s, err);
	return rc;
}
