/* policy: the numbers the users module reads from policies (SPEC §12): how many wrong
 * passwords in a row, each within a window of the last, lock an account and for how long, and
 * how long a login session lasts. */
#include "users/internal.h"

const struct fk_policy_def users_policies[] = {
    [USERS_POL_LOCK_AFTER] = {.key = "users.lock_after",
			      .type = FK_POLICY_INT,
			      .def = "5",
			      .min = 1,
			      .max = 100,
			      .label_zh = "连续输错密码锁定次数",
			      .label_en = "Wrong passwords before a lock",
			      .help_zh = "连续输错这么多次密码，账号即被锁定",
			      .help_en = "This many wrong passwords in a row lock the account"},
    [USERS_POL_LOCK_WINDOW_MINUTES] = {.key = "users.lock_window_minutes",
				       .type = FK_POLICY_DURATION,
				       .def = "60",
				       .min = 1,
				       .max = 10080,
				       .unit = FK_POLICY_MINUTES,
				       .label_zh = "输错密码计数时段",
				       .label_en = "Wrong-password window",
				       .help_zh = "距上次输错超过此时间，重新开始计数",
				       .help_en =
					   "A wrong password longer than this after the last one "
					   "starts the count again"},
    [USERS_POL_LOCK_MINUTES] = {.key = "users.lock_minutes",
				.type = FK_POLICY_DURATION,
				.def = "15",
				.min = 1,
				.max = 1440,
				.unit = FK_POLICY_MINUTES,
				.label_zh = "账号锁定时长",
				.label_en = "Lock time",
				.help_zh = "锁定的账号在此时间后可再次登录",
				.help_en = "A locked account may log in again after it"},
    [USERS_POL_SESSION_MINUTES] = {.key = "users.session_minutes",
				   .type = FK_POLICY_DURATION,
				   .def = "720",
				   .min = 5,
				   .max = 43200,
				   .unit = FK_POLICY_MINUTES,
				   .label_zh = "登录会话有效期",
				   .label_en = "Session lifetime",
				   .help_zh = "登录后会话保持有效的时间（对此后的登录生效）",
				   .help_en =
				       "How long a login session lasts (for logins from then "
				       "on)"},
    [USERS_POL_COUNT] = FK_POLICIES_END,
};
