# A province and two cities, each a PostgreSQL cluster with the extension, on
# local sockets, joined by PostgreSQL 15's logical replication as
# doc/federation.md sets them up.  Writes in both cities; checks on the
# province that rows arrive, keys do not collide, cross-city duplicates are
# flagged (never merged, never lost), tasks reach only their city and their
# outcomes come back, nodes that were down catch up, and a rule violation
# written on a city never reaches the province.  No sleeps: every wait is
# wait_for_catchup or poll_query_until.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use utf8;
# Test names go out as UTF-8 bytes: PostgreSQL 17's test modules make Perl's
# "Wide character in print" warning fatal.
use Encode ();

my $JURISDICTIONS = q{
INSERT INTO jurisdiction (code, name, parent, level) VALUES
  ('330000', 'Zhejiang', NULL, 'province'),
  ('330300', 'Wenzhou', '330000', 'city'), ('330302', 'Lucheng', '330300', 'district'),
  ('330100', 'Hangzhou', '330000', 'city'), ('330106', 'Xihu', '330100', 'district');
};

sub node
{
	my ($name) = @_;
	my $n = PostgreSQL::Test::Cluster->new($name);
	$n->init(allows_streaming => 'logical');
	# logical_decoding_work_mem as doc/federation.md recommends for a city
	# (so that the 5 000-person transaction below is streamed).
	$n->append_conf('postgresql.conf',
		"max_logical_replication_workers = 8\nmax_worker_processes = 16\nlogical_decoding_work_mem = 1MB\n");
	$n->start;
	$n->safe_psql('postgres',
		"SET client_min_messages = warning; CREATE EXTENSION quarantine CASCADE;"
		  . "ALTER DATABASE postgres SET search_path = quarantine, public;");
	$n->safe_psql('postgres', $JURISDICTIONS);
	return $n;
}

my $province = node('province');
my $wenzhou  = node('wenzhou');
my $hangzhou = node('hangzhou');

# ---------------------------------------------------------------------------
# Set-up, as doc/federation.md gives it.
# ---------------------------------------------------------------------------
$province->safe_psql('postgres', q{
SELECT federation_setup_province(1, '330000');
SELECT federation_add_city('330300');
SELECT federation_add_city('330100');
});
$wenzhou->safe_psql('postgres', q{SELECT federation_setup_city(2, '330300')});
$hangzhou->safe_psql('postgres', q{SELECT federation_setup_city(3, '330100')});

# Hangzhou worked before it joined: its rows reach the province by the
# initial table synchronisation (a COPY), where the replay fires too.
$hangzhou->safe_psql('postgres', q{
INSERT INTO person (doc_kind, doc_no, name, sex, birth_date, nationality, jurisdiction)
VALUES ('passport', 'G10000001', 'ZHOU XUN', 'F', '1975-01-01', 'CHN', '330106');
INSERT INTO lab_test (person_id, kind, sampled_at, result)
SELECT person_id, 'nat', now() - interval '1 hour', 'positive' FROM person;
});

my %city = ('330300' => $wenzhou, '330100' => $hangzhou);
# The province's subscriptions stream a large transaction as
# doc/federation.md recommends: applied in parallel on 16 and later.
my $streaming = $province->pg_version >= 16 ? 'parallel' : 'on';
for my $code (sort keys %city)
{
	my $c = $city{$code}->connstr . ' dbname=postgres';
	$province->safe_psql('postgres',
		"CREATE SUBSCRIPTION from_$code CONNECTION '$c' PUBLICATION quarantine_to_province WITH (streaming = $streaming)");
	my $p = $province->connstr . ' dbname=postgres';
	$city{$code}->safe_psql('postgres',
		"CREATE SUBSCRIPTION tasks_$code CONNECTION '$p' PUBLICATION quarantine_tasks_$code");
}
for my $code (sort keys %city)
{
	$province->wait_for_subscription_sync($city{$code}, "from_$code");
	$city{$code}->wait_for_subscription_sync($province, "tasks_$code");
}

is( $province->safe_psql('postgres',
		q{SELECT a.color || ' ' || a.reason || ' ' || (a.assignment_id / 1000000000000)
		    FROM code_assignment a JOIN person p USING (person_id) WHERE p.doc_no = 'G10000001'}),
	'red positive_test 1', 'province: the initial synchronisation arrived, with the colour derived on the province');
is( $province->safe_psql('postgres',
		q{SELECT string_agg(tgname || '=' || tgenabled::text, ' ' ORDER BY tgname) FROM pg_trigger
		   WHERE tgrelid = 'quarantine.person'::regclass AND tgname LIKE 'federation%'}),
	'federation_person_insert=R federation_person_rescope=R federation_person_update=R federation_person_xact=R',
	'province: the federation triggers on person fire in the apply worker only (ENABLE REPLICA)');

# ---------------------------------------------------------------------------
# Wenzhou first, then Hangzhou (the order decides which one keeps the plain
# identity_scope of a shared document).
# ---------------------------------------------------------------------------
$wenzhou->safe_psql('postgres', q{
INSERT INTO person (doc_kind, doc_no, name, sex, birth_date, nationality, phone, home_address, jurisdiction) VALUES
  ('passport', 'E12345678', 'WANG FANG', 'F', '1985-03-02', 'CHN', '13857700001', 'Lucheng, Wuma Street 1', '330302'),
  ('resident_id', '330302198506120029', '陈明', NULL, NULL, 'CHN', '13857712345', NULL, '330302');
INSERT INTO entry (person_id, entered_at, port, flight, seat, temperature)
SELECT person_id, '2021-07-10 06:20+08', 'PVG', 'MU588', '23C', 36.4 FROM person;
INSERT INTO control (person_id, entry_id, responsible) SELECT person_id, entry_id, 'team 2' FROM entry;
UPDATE control SET status = 'under_control', control_start = '2021-07-10 14:00+08';
INSERT INTO lab_test (person_id, kind, sampled_at, result, reported_at)
SELECT person_id, 'nat', '2021-07-10 08:00+08', 'negative', '2021-07-10 20:00+08' FROM person;
});
$wenzhou->wait_for_catchup('from_330300');

$hangzhou->safe_psql('postgres', q{
INSERT INTO person (doc_kind, doc_no, name, sex, birth_date, nationality, phone, jurisdiction) VALUES
  ('passport', 'E12345678', 'WANG FANG', 'F', '1985-03-02', 'CHN', '13857700001', '330106'),
  ('passport', 'G20000001', '陈明', 'F', '1985-06-12', 'CHN', NULL, '330106');
INSERT INTO entry (person_id, entered_at, port, flight, seat, temperature)
SELECT person_id, '2021-07-11 09:00+08', 'HGH', 'CA9002', '11A', 36.5 FROM person;
});
$hangzhou->wait_for_catchup('from_330100');

# Rows arrive, and keys do not collide: each city's keys lie in its range.
is( $province->safe_psql('postgres',
		q{SELECT count(*), count(DISTINCT person_id),
		         count(*) FILTER (WHERE person_id / 1000000000000 = 2),
		         count(*) FILTER (WHERE person_id / 1000000000000 = 3) FROM person}),
	'5|5|2|3', 'province: the five persons of both cities, five distinct keys, each in its city\'s range');
is( $province->safe_psql('postgres',
		q{SELECT (SELECT count(*) FROM entry) || ' ' || (SELECT count(*) FROM control)
		         || ' ' || (SELECT count(*) FROM lab_test)}),
	'5 2 3', 'province: every entry, control and lab test arrived');
is( $wenzhou->safe_psql('postgres', q{SELECT min(person_id) FROM person}),
	'2000000000001', 'a city generates keys from its node range');

# A document registered in both cities: both rows kept, the second under a
# scope of its own, the pair flagged; nothing merged.
is( $province->safe_psql('postgres',
		q{SELECT string_agg(identity_scope, ' ' ORDER BY person_id) FROM person WHERE doc_no = 'E12345678'}),
	'CHN CHN@3', 'province: the same passport from two cities is kept twice, the second scoped to its node');
is( $province->safe_psql('postgres',
		q{SELECT d.reason FROM duplicate_candidate d
		    JOIN person n ON n.person_id = d.person_id JOIN person o ON o.person_id = d.other_id
		   WHERE n.doc_no = 'E12345678' AND o.doc_no = 'E12345678'}),
	'same_document', 'province: the shared document is a duplicate candidate (same_document)');
# The same traveller under two documents: found by the duplicate search the
# province replays for each applied row (birth date, sex, similar name).
is( $province->safe_psql('postgres',
		q{SELECT d.reason || ' ' || (d.person_id / 1000000000000) || ' ' || (d.other_id / 1000000000000)
		    FROM duplicate_candidate d JOIN person n ON n.person_id = d.person_id
		   WHERE n.doc_no = 'G20000001'}),
	'birth_sex_name 3 2', 'province: a cross-city duplicate found by the replayed duplicate search');
is($hangzhou->safe_psql('postgres', q{SELECT count(*) FROM duplicate_candidate}),
	'0', 'a city alone cannot see the other city\'s traveller');
is($province->safe_psql('postgres', q{SELECT count(*) FROM person WHERE merged_into IS NOT NULL}),
	'0', 'province: nothing merged silently');

# Privacy: what left the city is the column list of quarantine_to_province.
is( $province->safe_psql('postgres',
		q{SELECT count(*) FILTER (WHERE phone IS NULL AND home_address IS NULL AND phone_key IS NOT NULL) FROM person
		   WHERE doc_no = 'E12345678'}),
	'2', 'province: no phone number or home address left the cities; the phone key did');
is( $wenzhou->safe_psql('postgres',
		q{SELECT array_to_string(attnames, ',') FROM pg_publication_tables
		   WHERE pubname = 'quarantine_to_statistics' AND tablename = 'person'}),
	'person_id,sex,birth_date,nationality,jurisdiction,merged_into,created_at',
	'the statistics publication carries no document, name, phone or address');

# What the province derives, and what it trusts.  The colour feed is
# re-derived (replayed per applied row, keys of the province's own range);
# control_event is the city's, as written, not derived a second time.
is( $province->safe_psql('postgres',
		q{SELECT count(DISTINCT a.person_id) || ' ' || bool_and(a.assignment_id / 1000000000000 = 1)
		    FROM code_assignment a JOIN control c USING (person_id) WHERE a.color <> 'green'}),
	'2 true', 'province: the colour feed derived on the province for both controlled persons');
is( $province->safe_psql('postgres',
		q{SELECT count(*) || ' ' || bool_and(event_id / 1000000000000 = 2) FROM control_event}),
	$wenzhou->safe_psql('postgres', q{SELECT count(*) || ' true' FROM control_event}),
	'province: control_event rows are the city\'s, once each');

# A rule violation written on a city never reaches the province: a second
# open control for the same person.
my ($rc, $out, $err) = $wenzhou->psql('postgres',
	q{\set VERBOSITY verbose
	  INSERT INTO control (person_id, quarantine_start, responsible)
	  SELECT person_id, '2021-07-10', 'team 3' FROM person WHERE doc_no = 'E12345678'});
like($err, qr/ERROR:\s+23505:.*CONSTRAINT NAME:\s+control_single_open/s,
	'city: the rule refuses a second open control (23505, control_single_open)');
$wenzhou->safe_psql('postgres', q{UPDATE control SET note = 'checked' WHERE person_id = (SELECT person_id FROM person WHERE doc_no = 'E12345678')});
$wenzhou->wait_for_catchup('from_330300');
is( $province->safe_psql('postgres',
		q{SELECT count(*) || ' ' || string_agg(note, '') FROM control c JOIN person p USING (person_id)
		   WHERE p.doc_no = 'E12345678' AND p.identity_scope = 'CHN'}),
	'1 checked', 'province: the later change arrived, the refused control did not');

# ---------------------------------------------------------------------------
# Tasks: issued on the province, to one city only; the outcome comes back.
# ---------------------------------------------------------------------------
$province->safe_psql('postgres', q{
INSERT INTO task (module, person_id, jurisdiction, issued_at)
SELECT 'phone_check', person_id, '330302', '2021-07-10 14:00+08' FROM person
 WHERE doc_no = 'E12345678' AND identity_scope = 'CHN';
});
$province->wait_for_catchup('tasks_330300');
$province->wait_for_catchup('tasks_330100');
is( $wenzhou->safe_psql('postgres',
		q{SELECT count(*) || ' ' || bool_and(task_id / 1000000000000 = 1) || ' ' || bool_and(due_at IS NOT NULL) FROM task}),
	'1 true true', 'Wenzhou received the task issued to its district, with the province\'s key and deadline');
is($hangzhou->safe_psql('postgres', q{SELECT count(*) FROM task}),
	'0', 'Hangzhou did not');

# A district operator of Wenzhou, a real login role under row security,
# closes it: the outcome is recorded by the extension (the operator has no
# grant on task_outcome) and travels back.
$wenzhou->safe_psql('postgres', q{
CREATE ROLE wz_operator LOGIN IN ROLE quarantine_operator;
INSERT INTO operator_scope (role_name, jurisdiction) VALUES ('wz_operator', '330300');
});
my @operator = (extra_params => [ '-U', 'wz_operator' ]);
is( $wenzhou->safe_psql('postgres',
		q{UPDATE task SET done_at = '2021-07-10 16:00+08', outcome = 'phone verified' RETURNING module},
		@operator),
	'phone_check', 'Wenzhou: the district operator closes the task');
($rc, $out, $err) = $wenzhou->psql('postgres', q{SELECT * FROM task_outcome}, @operator);
like($err, qr/permission denied for table task_outcome/, 'the operator cannot read task_outcome, nor write it');
($rc, $out, $err) = $wenzhou->psql('postgres', q{SELECT federation_setup_city(2, '330300')}, @operator);
like($err, qr/permission denied for function federation_setup_city/, 'the operator cannot set a node up');
$wenzhou->wait_for_catchup('from_330300');
is( $province->safe_psql('postgres',
		q{SELECT (t.done_at = '2021-07-10 16:00+08') || ' ' || t.outcome || ' ' || o.reported_by
		    FROM task t JOIN task_outcome o USING (task_id)}),
	'true phone verified wz_operator',
	'province: the city\'s outcome closed the task, saying who');
is($province->safe_psql('postgres', q{SELECT count(*) FROM task}),
	'1', 'province: the outcome did not come back as a second task');

# ---------------------------------------------------------------------------
# Nodes that were down catch up with nothing lost.
# ---------------------------------------------------------------------------
# A city down while the province issues its tasks.
$hangzhou->stop('fast');
$province->safe_psql('postgres', q{
INSERT INTO task (module, person_id, issued_at)   -- addressed to the person's district
SELECT 'control', person_id, '2021-07-11 10:00+08' FROM person WHERE person_id / 1000000000000 = 3;
});
$hangzhou->start;
$province->wait_for_catchup('tasks_330100');
is($hangzhou->safe_psql('postgres', q{SELECT count(*) FROM task WHERE jurisdiction = '330106'}),
	'3', 'Hangzhou, down while its tasks were issued, has them all after restart');

# The province down while a city keeps working: 5 000 persons in one
# transaction (one apply transaction on the province, with a person_identity
# probe per row).
$province->stop('fast');
$wenzhou->safe_psql('postgres', q{
INSERT INTO person (doc_kind, doc_no, name, sex, birth_date, nationality, jurisdiction)
SELECT 'passport', 'P' || lpad(i::text, 8, '0'), 'TRAVELLER ' || i, 'M', '1990-01-01'::date + i, 'USA', '330302'
  FROM generate_series(1, 5000) i;
INSERT INTO lab_test (person_id, kind, sampled_at, result)
SELECT person_id, 'nat', '2021-07-12 08:00+08', 'negative' FROM person WHERE doc_no LIKE 'P%';
});
$province->start;
$wenzhou->wait_for_catchup('from_330300');
is( $province->safe_psql('postgres',
		q{SELECT count(*) FROM person WHERE person_id / 1000000000000 = 2}),
	$wenzhou->safe_psql('postgres', q{SELECT count(*) FROM person}),
	'province, down while Wenzhou wrote, has every person after restart');
is( $province->safe_psql('postgres',
		q{SELECT count(*) FROM lab_test WHERE test_id / 1000000000000 = 2}),
	'5002', 'and every lab test');

# The daily report (doc/monitoring.md): a city submits its district's
# report and the submission reaches the province as submitted; the province
# submits for no district, nor a city for another city's.
$wenzhou->safe_psql('postgres',
	q{SELECT submit_daily_report('330302', local_date(now()) - 1)});
$wenzhou->wait_for_catchup('from_330300');
my $submitted = q{SELECT string_agg(jurisdiction || ' v' || version || ' ' || open_controls || ' '
                                    || monitored || ' ' || by_role, ';') FROM daily_report_submission};
is($province->safe_psql('postgres', $submitted),
	$wenzhou->safe_psql('postgres', $submitted),
	"province: Wenzhou's daily report arrived as submitted");
like($province->safe_psql('postgres', $submitted),
	qr/^330302 v1 /, Encode::encode_utf8('it is version 1 of 鹿城区'));
my ($src, $sout, $serr) = $province->psql('postgres',
	q{SELECT submit_daily_report('330302', local_date(now()) - 1)});
like($serr, qr/permission denied to submit the daily report of 330302/,
	'the province does not submit a district\'s report');
($src, $sout, $serr) = $wenzhou->psql('postgres',
	q{SELECT submit_daily_report('330106', local_date(now()) - 1)});
like($serr, qr/permission denied to submit the daily report of 330106/,
	'Wenzhou does not submit for a district of Hangzhou');

# The replication stayed healthy throughout: no apply error (PostgreSQL
# reports one with the context "processing remote data for replication
# origin ..."), on the province or on a city applying its tasks.
for my $node ($province, $wenzhou, $hangzhou)
{
	ok(!$node->log_contains('processing remote data|duplicate key'),
		$node->name . ': no apply error in the log');
}

done_testing();
