/* policy: the numbers the users module reads from policies (SPEC §12): how many wrong
 * passwords in a row, each within a window of the last, lock a name for the address that typed
 * them, how many from all addresses lock it for every address that has not logged in with it
 * before, for how long, how long a login session lasts, and the one-time login codes: how long
 * one is good, how soon another may be asked for the same number, how many an hour. */
#include "users/internal.h"

const struct fk_policy_def users_policies[] = {
    [USERS_POL_LOCK_AFTER] = {.key = "users.lock_after",
			      .type = FK_POLICY_INT,
			      .def = "5",
			      .min = 1,
			      .max = 100,
			      .label_zh = "连续输错密码锁定次数",
			      .label_en = "Wrong passwords before a lock",
			      .help_zh = "同一地址对同一用户名连续输错这么多次密码，该地址即不能再"
					 "以此用户名登录，直到锁定期满；其他地址不受影响",
			      .help_en = "This many wrong passwords in a row for one name from one "
					 "address lock that name for that address; other addresses "
					 "are not affected"},
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
				.label_zh = "登录锁定时长",
				.label_en = "Lock time",
				.help_zh = "锁定在此时间后解除（管理员也可提前解锁）",
				.help_en = "A lock ends after this (an admin may lift it sooner)"},
    [USERS_POL_NAME_LOCK_AFTER] = {.key = "users.name_lock_after",
				   .type = FK_POLICY_INT,
				   .def = "50",
				   .min = 1,
				   .max = 10000,
				   .label_zh = "各地址合计输错密码锁定次数",
				   .label_en = "Wrong passwords from all addresses before a lock",
				   .help_zh =
				       "所有地址对同一用户名合计输错这么多次密码（每次距上次不超过"
				       "计数时段），此用户名即对近 30 天未用它登录成功过的地址锁定",
				   .help_en =
				       "This many wrong passwords for one name from all "
				       "addresses, each within the window of the last, lock "
				       "it for every address that has not logged in with it in "
				       "the last 30 days"},
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
    [USERS_POL_CODE_MINUTES] = {.key = "users.code_minutes",
				.type = FK_POLICY_DURATION,
				.def = "5",
				.min = 1,
				.max = 30,
				.unit = FK_POLICY_MINUTES,
				.label_zh = "登录验证码有效期",
				.label_en = "Login code lifetime",
				.help_zh = "短信登录验证码发出后在此时间内有效",
				.help_en =
				    "A login code sent by text message is good for this long"},
    [USERS_POL_CODE_RESEND_SECONDS] = {.key = "users.code_resend_seconds",
				       .type = FK_POLICY_INT,
				       .def = "60",
				       .min = 10,
				       .max = 3600,
				       .label_zh = "验证码重发间隔（秒）",
				       .label_en = "Seconds between login codes",
				       .help_zh = "同一手机号两次获取验证码至少相隔的秒数",
				       .help_en = "At least this many seconds between two codes "
						  "for one phone number"},
    [USERS_POL_CODE_PER_HOUR] = {.key = "users.code_per_hour",
				 .type = FK_POLICY_INT,
				 .def = "5",
				 .min = 1,
				 .max = 100,
				 .label_zh = "每小时验证码上限",
				 .label_en = "Login codes per hour",
				 .help_zh = "同一手机号一小时内最多获取的验证码个数",
				 .help_en =
				     "At most this many codes for one phone number in an hour"},
    [USERS_POL_COUNT] = FK_POLICIES_END,
};
