# The province's replay of a large transaction that the city streams before
# it commits (doc/federation.md, "Lag and throughput"): the subscription as
# the set-up recommends (streaming = parallel on PostgreSQL 16 and later, a
# parallel apply worker applying while the city still writes; on on 15,
# spooled and applied at commit), the city's logical_decoding_work_mem at
# its minimum so that the transaction is streamed in many chunks.  The
# transaction has a savepoint released and a savepoint rolled back after
# its rows were streamed (on 16 and later the parallel apply worker rolls
# back to a savepoint of its own).  A second province subscribes to the same
# city without streaming; the streamed province must derive exactly what it
# derives: the same duplicate candidates and colours, nothing for the
# rolled-back rows.  work_mem on the streamed province is at its minimum too,
# so that the replay's batches spill to temporary files.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

sub node
{
	my ($name, $conf) = @_;
	my $n = PostgreSQL::Test::Cluster->new($name);
	$n->init(allows_streaming => 'logical');
	$n->append_conf('postgresql.conf',
		"max_logical_replication_workers = 8\nmax_worker_processes = 16\n" . ($conf // ''));
	$n->start;
	$n->safe_psql('postgres',
		"SET client_min_messages = warning; CREATE EXTENSION quarantine CASCADE;"
		  . "ALTER DATABASE postgres SET search_path = quarantine, public;");
	$n->safe_psql('postgres', q{
INSERT INTO jurisdiction (code, name, parent, level) VALUES
  ('330000', 'Zhejiang', NULL, 'province'),
  ('330300', 'Wenzhou', '330000', 'city'), ('330302', 'Lucheng', '330300', 'district');
});
	return $n;
}

my $city = node('city', "logical_decoding_work_mem = 64kB\n");
my $streamed = node('streamed', "work_mem = 64kB\nlog_min_messages = debug1\n");
my $plain    = node('unstreamed');
my $parallel = $streamed->pg_version >= 16;
my $mode     = $parallel ? 'parallel' : 'on';

$city->safe_psql('postgres', q{SELECT federation_setup_city(2, '330300')});
my $c = $city->connstr . ' dbname=postgres';
for my $p ([ $streamed, 'from_city_streamed', $mode ], [ $plain, 'from_city_unstreamed', 'off' ])
{
	my ($node, $sub, $streaming) = @$p;
	$node->safe_psql('postgres', q{SELECT federation_setup_province(1, '330000')});
	$node->safe_psql('postgres',
		"CREATE SUBSCRIPTION $sub CONNECTION '$c' PUBLICATION quarantine_to_province WITH (streaming = $streaming)");
	$node->wait_for_subscription_sync($city, $sub);
}

# Persons the streamed ones will resemble, committed before.
$city->safe_psql('postgres', q{
INSERT INTO person (doc_kind, doc_no, name, sex, birth_date, nationality, jurisdiction)
SELECT 'passport', 'E' || lpad(i::text, 8, '0'), 'EARLIER ' || i, 'F', date '1960-01-01' + i, 'CHN', '330302'
  FROM generate_series(1, 200) i;
});

# One transaction, far over 64kB: 2 000 persons and their entries at the top
# level; in a savepoint released, 300 look-alikes of them (duplicate
# candidates), 200 look-alikes of the earlier persons and 50 positive tests
# (red); in a savepoint rolled back after it was streamed, 300 more
# look-alikes, 50 positive tests and 50 controls that must leave no trace;
# then, at the top level again, 50 controls.
$city->safe_psql('postgres', q{
BEGIN;
INSERT INTO person (doc_kind, doc_no, name, sex, birth_date, nationality, jurisdiction)
SELECT 'passport', 'S' || lpad(i::text, 8, '0'), 'STREAMED ' || i, 'M', date '1950-01-01' + i, 'CHN', '330302'
  FROM generate_series(1, 2000) i;
INSERT INTO entry (person_id, entered_at, port, flight, seat, temperature)
SELECT person_id, timestamptz '2021-06-01 08:00+08', 'WNZ', 'CA' || (100 + person_id % 900), '1C', 36.5
  FROM person WHERE doc_no LIKE 'S%';
SAVEPOINT kept;
INSERT INTO person (doc_kind, doc_no, name, sex, birth_date, nationality, jurisdiction)
SELECT 'passport', 'T' || lpad(i::text, 8, '0'), 'STREAMED ' || i, 'M', date '1950-01-01' + i, 'CHN', '330302'
  FROM generate_series(1, 300) i;
INSERT INTO person (doc_kind, doc_no, name, sex, birth_date, nationality, jurisdiction)
SELECT 'passport', 'U' || lpad(i::text, 8, '0'), 'EARLIER ' || i, 'F', date '1960-01-01' + i, 'CHN', '330302'
  FROM generate_series(1, 200) i;
INSERT INTO lab_test (person_id, kind, sampled_at, result)
SELECT person_id, 'nat', timestamptz '2021-06-01 09:00+08', 'positive' FROM person
 WHERE doc_no BETWEEN 'S00000001' AND 'S00000050';
RELEASE SAVEPOINT kept;
SAVEPOINT dropped;
INSERT INTO person (doc_kind, doc_no, name, sex, birth_date, nationality, jurisdiction)
SELECT 'passport', 'X' || lpad(i::text, 8, '0'), 'STREAMED ' || i, 'M', date '1950-01-01' + i, 'CHN', '330302'
  FROM generate_series(301, 600) i;
INSERT INTO lab_test (person_id, kind, sampled_at, result)
SELECT person_id, 'nat', timestamptz '2021-06-01 09:00+08', 'positive' FROM person
 WHERE doc_no BETWEEN 'S00000051' AND 'S00000100';
INSERT INTO control (person_id, entry_id, jurisdiction, responsible)
SELECT person_id, entry_id, '330302', 'team 1' FROM entry JOIN person USING (person_id)
 WHERE doc_no BETWEEN 'S00000101' AND 'S00000150';
ROLLBACK TO SAVEPOINT dropped;
INSERT INTO control (person_id, entry_id, jurisdiction, responsible)
SELECT person_id, entry_id, '330302', 'team 2' FROM entry JOIN person USING (person_id)
 WHERE doc_no BETWEEN 'S00000151' AND 'S00000200';
COMMIT;
});
$city->wait_for_catchup('from_city_streamed');
$city->wait_for_catchup('from_city_unstreamed');

# It was streamed to the one, not to the other.
ok( $city->poll_query_until('postgres',
		q{SELECT stream_txns > 0 FROM pg_stat_replication_slots WHERE slot_name = 'from_city_streamed'}),
	"the city streamed the transaction to the province subscribed with streaming = $mode");
is( $city->safe_psql('postgres',
		q{SELECT stream_txns FROM pg_stat_replication_slots WHERE slot_name = 'from_city_unstreamed'}),
	'0', 'and not to the province subscribed without streaming');
if ($parallel)
{
	ok($streamed->log_contains(qr/defining savepoint \S+ in logical replication parallel apply worker/),
		'a parallel apply worker applied it, under savepoints of its own');
	ok($streamed->log_contains(qr/rolling back to savepoint \S+ in logical replication parallel apply worker/),
		'and rolled back to one for the rolled-back subtransaction');
}

# What arrived.
my $arrived = q{SELECT (SELECT count(*) FROM person) || ' ' || (SELECT count(*) FROM entry) || ' '
                    || (SELECT count(*) FROM lab_test) || ' ' || (SELECT count(*) FROM control)};
is($streamed->safe_psql('postgres', $arrived), '2700 2000 50 50',
	'streamed province: the rows of the transaction, none of the rolled-back savepoint');
is($plain->safe_psql('postgres', $arrived), '2700 2000 50 50', 'province without streaming: the same rows');

# What the province derived: the same either way.
my $candidates = q{SELECT count(*) || ' ' || coalesce(md5(string_agg(person_id || '/' || other_id || '/' || reason
                                                           || '/' || score, ',' ORDER BY person_id, other_id)), '')
                     FROM duplicate_candidate};
my $colours = q{SELECT count(*) || ' ' || coalesce(md5(string_agg(person_id || '/' || color || '/' || reason, ','
                                                        ORDER BY person_id, assignment_id)), '')
                  FROM code_assignment};
is($streamed->safe_psql('postgres', $candidates), $plain->safe_psql('postgres', $candidates),
	'the same duplicate candidates with and without streaming');
is($streamed->safe_psql('postgres', $colours), $plain->safe_psql('postgres', $colours),
	'the same colour rows with and without streaming');
is( $streamed->safe_psql('postgres', q{
SELECT count(*) FILTER (WHERE p.doc_no LIKE 'T%') || ' ' || count(*) FILTER (WHERE p.doc_no LIKE 'U%')
  FROM duplicate_candidate d JOIN person p USING (person_id)}),
	'300 200', 'streamed province: the released savepoint\'s look-alikes are candidates, of the streamed and of the earlier persons');
is( $streamed->safe_psql('postgres', q{
SELECT count(*) FROM duplicate_candidate d
 WHERE NOT EXISTS (SELECT FROM person p WHERE p.person_id = d.person_id)
    OR NOT EXISTS (SELECT FROM person p WHERE p.person_id = d.other_id)}),
	'0', 'no candidate for a person of the rolled-back savepoint');
my $latest = q{
SELECT string_agg(band || ':' || color || '=' || n, ' ' ORDER BY band, color) FROM (
  SELECT CASE WHEN p.doc_no <= 'S00000050' THEN 'a' WHEN p.doc_no <= 'S00000100' THEN 'b'
              WHEN p.doc_no <= 'S00000150' THEN 'c' ELSE 'd' END AS band, a.color, count(*) AS n
    FROM person p
    JOIN LATERAL (SELECT color FROM code_assignment a WHERE a.person_id = p.person_id
                   ORDER BY assignment_id DESC LIMIT 1) a ON true
   WHERE p.doc_no BETWEEN 'S00000001' AND 'S00000200'
   GROUP BY 1, 2) s};
my $expected = $plain->safe_psql('postgres', $latest);
like($expected, qr/^a:red=50 /, 'province without streaming: the released savepoint\'s positive tests made 50 persons red');
unlike($expected, qr/b:red/, 'and the rolled-back tests none');
is($streamed->safe_psql('postgres', $latest), $expected,
	"streamed province: each person's latest colour as without streaming ($expected)");

for my $node ($streamed, $plain)
{
	ok(!$node->log_contains(qr/ERROR:|leak|not closed/),
		$node->name . ': no error (an apply error stops the city), no file closed under the replay in the log');
}

done_testing();
