/*
 * messages.h
 *		The extension's message catalog (doc/records.md, "Messages in
 *		Chinese").  Included by every file through the family headers, after
 *		postgres.h.
 */
#ifndef QUARANTINE_MESSAGES_H
#define QUARANTINE_MESSAGES_H

/*
 * Messages in the session's language (lc_messages).  TEXTDOMAIN is the
 * extension's catalog, quarantine-<major> as PL/pgSQL's is plpgsql-<major>
 * (bound by _PG_init), so errmsg, errdetail and errhint look their text up
 * there; _Q does the same for text formatted before it is raised (a Problem's
 * message, DETAIL and HINT, rule.h).  Rule names are never translated.
 */
#undef TEXTDOMAIN
#define TEXTDOMAIN PG_TEXTDOMAIN("quarantine")
#define _Q(text)   dgettext(TEXTDOMAIN, text)

#endif /* QUARANTINE_MESSAGES_H */
