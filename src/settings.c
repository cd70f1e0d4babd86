/*
 * settings.c
 *		The extension's settings, readable in every session.
 *
 * A custom setting exists only once the library that defines it is loaded,
 * so current_setting('quarantine.release_test_days') fails in a session that
 * has not yet called any C function of the extension (and with missing_ok
 * returns NULL).  Calling a C function loads the library: setting(name) does
 * that and then reads the value, so SQL of the extension and its users read
 * settings through it (doc/records.md, "Settings").
 */
#include "quarantine.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"

PG_FUNCTION_INFO_V1(quarantine_setting);

/* setting(name text) -> text: the current value of a quarantine.* setting. */
Datum
quarantine_setting(PG_FUNCTION_ARGS)
{
	char *name = text_to_cstring(PG_GETARG_TEXT_PP(0));

	if (strncmp(name, "quarantine.", strlen("quarantine.")) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("\"%s\" is not a setting of the extension quarantine",
						name),
				 errhint("Its settings are named quarantine.*; "
						 "quarantine.settings() lists them.")));
	/* Unknown quarantine.* names raise 42704 here, as current_setting does. */
	PG_RETURN_TEXT_P(
		cstring_to_text(GetConfigOptionByName(name, NULL, false)));
}
