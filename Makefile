# quarantine — PGXS build.
#
# The extension's SQL is kept in numbered fragments under src/sql/ (one per
# area, in dependency order) and concatenated into the install script of the
# current version.  The version lives in quarantine.control only.  Released
# scripts are frozen files at the top level (quarantine--0.1.0.sql,
# quarantine--0.2.0.sql, quarantine--0.1.0--0.2.0.sql), never edited and never
# rebuilt; the delta from the last release to the version in development is
# concatenated from the files src/sql/upgrade/$(PREVERSION)--$(EXTVERSION).list
# names, and test/upgrade/ proves that a database upgraded from every released
# version equals a fresh install.

EXTENSION   = quarantine
EXTVERSION  = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" quarantine.control)

MODULE_big  = quarantine
OBJS        = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c src/*/*.c)))
SQL_SOURCES = $(sort $(wildcard src/sql/*.sql))
PREVERSION  = 0.2.0
UPGRADE_LIST    = src/sql/upgrade/$(PREVERSION)--$(EXTVERSION).list
UPGRADE_SOURCES = $(addprefix src/sql/,$(shell sed -e '/^\#/d' -e '/^[[:space:]]*$$/d' $(UPGRADE_LIST)))
DATA_built  = quarantine--$(EXTVERSION).sql quarantine--$(PREVERSION)--$(EXTVERSION).sql
# quarantine--0.2.0.control: 0.2.0 required pg_partman (its scan trail
# maintenance called it), 0.3.0 does not (doc/places.md); the secondary
# control keeps CREATE EXTENSION ... VERSION '0.2.0' and the update through
# 0.2.0 as released.
DATA        = quarantine--0.1.0.sql quarantine--0.2.0.sql quarantine--0.1.0--0.2.0.sql \
              quarantine--0.2.0.control
DOCS        = $(wildcard doc/*.md)

# pg_regress: every file in sql/ with its expected output in expected/.
REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --load-extension=postgis --load-extension=btree_gist --load-extension=quarantine

# Isolation tester: every specs/*.spec with its expected output in expected/
# (run by the same installcheck, after pg_regress).  Concurrency rules are
# proved here: the tester's permutations and its blocking detection make each
# interleaving deterministic, with no sleeps.
ISOLATION      = $(patsubst specs/%.spec,%,$(sort $(wildcard specs/*.spec)))
ISOLATION_OPTS = --load-extension=postgis --load-extension=btree_gist --load-extension=quarantine

# TAP tests (t/*.pl): real clusters started by PostgreSQL::Test::Cluster from
# the server dev package, run by PGXS's prove_installcheck.  The federation
# test (doc/federation.md) starts a province and two cities.  tools/pg-harness
# runs them apart from pg_regress (TAP_TESTS= there), as the postgres user.
TAP_TESTS = 1

# Warning-free with -Wall -Wextra (tools/pg-harness adds -Werror).  Only
# -Wunused-parameter is silenced: the server headers trip it (ilist.h,
# bufpage.h, fmgr.h), and callbacks of the server's signatures leave
# parameters unused.  Everything else stays on.
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter
PG_CPPFLAGS = -I$(srcdir)/src

# Translations (doc/records.md, "Messages in Chinese"): every message is
# looked up in the text domain quarantine-<major> (src/quarantine.h, as
# PL/pgSQL's is plpgsql-<major>); po/<lang>.po is compiled into <lang>.mo
# and installed where the server looks, pg_config --localedir.
NLS_LANGUAGES = zh_CN

# The server: the newest major postgresql-common supports on this machine
# (Debian 12: 15, Debian 13: 17), as tools/pg-harness chooses it; PGVER=N or
# PG_CONFIG=/path/to/pg_config overrides.  Without postgresql-common, whatever
# pg_config is on PATH.
PGVER     ?= $(shell /usr/share/postgresql-common/supported-versions 2>/dev/null | sort -n | tail -n 1)
PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/$(PGVER)/bin/pg_config) pg_config)
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

# Rebuild an object when a header it includes changes (PGXS's dependency
# tracking, off unless the server was configured with it): a stale object
# built against an older struct layout crashes at run time.  Object names are
# unique across src/'s folders, as .deps/ is flat.
override autodepend := yes

ifneq ($(PGXS),)
include $(PGXS)
else
all:
	@echo "PostgreSQL $(PGVER) server headers not found: 'make test' and 'make demo' install them," >&2
	@echo "or run: apt-get install postgresql-server-dev-$(PGVER)" >&2
	@exit 1
endif

all: $(NLS_LANGUAGES:%=po/%.mo)
po/%.mo: po/%.po
	msgfmt -c -o $@ $<
install: install-nls
.PHONY: install-nls update-po
install-nls: $(NLS_LANGUAGES:%=po/%.mo)
	for l in $(NLS_LANGUAGES); do \
	  $(INSTALL_DATA) -D po/$$l.mo '$(DESTDIR)$(shell $(PG_CONFIG) --localedir)/'$$l/LC_MESSAGES/quarantine-$(MAJORVERSION).mo; \
	done
# The template and the catalogs after a change of messages: xgettext finds
# the texts of errmsg, errdetail, errhint and _Q; msgmerge keeps what is
# translated (a changed text comes back as fuzzy, and falls back to English
# until a translator checks it).
GETTEXT_KEYWORDS = --keyword=errmsg --keyword=errmsg_plural:1,2 --keyword=errdetail \
  --keyword=errdetail_plural:1,2 --keyword=errhint --keyword=errcontext --keyword=_Q \
  --keyword=GUC_check_errdetail --keyword=GUC_check_errmsg --keyword=GUC_check_errhint \
  --flag=errmsg:1:c-format --flag=errdetail:1:c-format --flag=errhint:1:c-format --flag=_Q:1:c-format
NLS_POT ?= po/quarantine.pot
.PHONY: pot
pot:
	xgettext -o $(NLS_POT) --from-code=UTF-8 --no-wrap --sort-by-file \
	  $(GETTEXT_KEYWORDS) $(sort $(wildcard src/*.c src/*/*.c))
update-po: pot
	for l in $(NLS_LANGUAGES); do msgmerge -q --no-wrap --backup=none -U po/$$l.po $(NLS_POT); done

quarantine--$(EXTVERSION).sql: $(SQL_SOURCES) src/sql quarantine.control
	cat $(SQL_SOURCES) > $@

quarantine--$(PREVERSION)--$(EXTVERSION).sql: $(UPGRADE_LIST) $(UPGRADE_SOURCES) quarantine.control
	cat $(UPGRADE_SOURCES) > $@

HARNESS = tools/pg-harness

.PHONY: test demo demo-stop bench valgrind format
test:
	@$(HARNESS) test
demo:
	@$(HARNESS) demo
demo-stop:
	@$(HARNESS) demo-stop
bench:
	@$(HARNESS) bench
valgrind:
	@$(HARNESS) valgrind
format:
	clang-format -i src/*.c $(wildcard src/*.h) src/*/*.c src/*/*.h
