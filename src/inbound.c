/*
 * inbound.c
 *		HMAC-SHA-256 for the inbound verification service (doc/ports.md,
 *		"Inbound verification service"): every call is recorded with the
 *		document as an HMAC under a secret only the extension owner reads,
 *		since a plain hash of an ID number can be reversed by enumerating
 *		the numbers.  PostgreSQL's own HMAC (common/hmac.h, what SCRAM uses)
 *		does the work: no pgcrypto.  The function is a computation on values;
 *		the secret never leaves inbound_status(), which reads it with the
 *		owner's rights.
 */
#include "quarantine.h"

#include "common/hmac.h"
#include "common/sha2.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(inbound_hmac_sha256);

/* hmac_sha256(key bytea, message bytea) → bytea (32 bytes). */
Datum
inbound_hmac_sha256(PG_FUNCTION_ARGS)
{
	bytea		*key = PG_GETARG_BYTEA_PP(0);
	bytea		*msg = PG_GETARG_BYTEA_PP(1);
	bytea		*result = palloc(VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	pg_hmac_ctx *ctx = pg_hmac_create(PG_SHA256);

	if (ctx == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (pg_hmac_init(ctx, (const uint8 *) VARDATA_ANY(key),
					 VARSIZE_ANY_EXHDR(key)) < 0 ||
		pg_hmac_update(ctx, (const uint8 *) VARDATA_ANY(msg),
					   VARSIZE_ANY_EXHDR(msg)) < 0 ||
		pg_hmac_final(ctx, (uint8 *) VARDATA(result),
					  PG_SHA256_DIGEST_LENGTH) < 0)
	{
		const char *why = pg_hmac_error(ctx);

		pg_hmac_free(ctx);
		elog(ERROR, "could not compute HMAC-SHA-256: %s", why);
	}
	pg_hmac_free(ctx);
	SET_VARSIZE(result, VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	PG_RETURN_BYTEA_P(result);
}
