/* audit: `fangkong audit seal` seals the unsealed audit rows into the chain now;
 * `fangkong audit verify` walks the chain and exits 1 naming the first break. */
#include <stdio.h>
#include <string.h>
#include "audit/audit.h"
#include "cmd/cmd.h"

static const char usage[] = "usage: fangkong audit {seal|verify} [--db URL]";

static int seal(struct cmd_ctx *ctx)
{
	struct fk_audit_head head;
	struct fk_err err = {0};
	int64_t n = 0;

	if (fk_audit_seal(ctx->db, &n, &err) < 0 || fk_audit_head(ctx->db, &head, &err) < 0)
		die_err("audit seal", &err);
	printf("sealed %lld rows; head seq %lld hash %s\n", (long long)n, (long long)head.seq,
	       head.hash[0] ? head.hash : "-");
	return 0;
}

static int verify(struct cmd_ctx *ctx)
{
	struct fk_audit_report r;
	struct fk_err err = {0};

	if (fk_audit_verify(ctx->db, &r, &err) < 0)
		die_err("audit verify", &err);
	printf("verified %lld rows (seq %lld to %lld); %lld not sealed yet\n",
	       (long long)r.verified, (long long)r.first_seq, (long long)r.head.seq,
	       (long long)r.unsealed);
	if (r.brk != FK_AUDIT_WHOLE) {
		fprintf(stderr, "fangkong: audit chain broken at seq %lld (audit id %lld): %s\n",
			(long long)r.break_seq, (long long)r.break_id, fk_audit_break_name(r.brk));
		return 1;
	}
	printf("the chain is whole; head seq %lld hash %s\n", (long long)r.head.seq,
	       r.head.hash[0] ? r.head.hash : "-");
	return 0;
}

int cmd_audit(int argc, char **argv, struct cmd_ctx *ctx)
{
	if (argc != 2)
		die("%s", usage);
	if (strcmp(argv[1], "seal") == 0)
		return seal(ctx);
	if (strcmp(argv[1], "verify") == 0)
		return verify(ctx);
	die("unknown audit command '%s'; %s", argv[1], usage);
}
