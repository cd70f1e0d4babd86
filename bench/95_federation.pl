# Lag and throughput of the federation (doc/federation.md): N controls
# written in a city (BENCH_CONTROLS, default 100000, in transactions of 1000),
# and how long until the province has them all, against the same writes on a
# city without subscribers; and, to tell what the province's re-derivation
# costs, the same pair with a plain subscriber (the extension installed, no
# province set-up: no replayed trigger).  Five clusters started here
# (PostgreSQL::Test::Cluster), all on this machine in this run, so the
# figures are ratios of one run.  Run by `make bench` (BENCH=95_federation
# for this one alone).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Time::HiRes qw(time);
use Test::More;

my $n     = $ENV{BENCH_CONTROLS} // 100000;
my $batch = 1000;
$n = $batch * int(($n + $batch - 1) / $batch);

sub node
{
	my ($name) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init(allows_streaming => 'logical');
	$node->append_conf('postgresql.conf', qq{
shared_buffers = 128MB
max_wal_size = 4GB
max_logical_replication_workers = 8
max_worker_processes = 16
});
	$node->start;
	$node->safe_psql('postgres', q{
SET client_min_messages = warning;
CREATE EXTENSION quarantine CASCADE;
ALTER DATABASE postgres SET search_path = quarantine, public;
INSERT INTO quarantine.jurisdiction (code, name, parent, level) VALUES
  ('330000', 'Zhejiang', NULL, 'province'),
  ('330300', 'Wenzhou', '330000', 'city'), ('330302', 'Lucheng', '330300', 'district');
});
	return $node;
}

# The persons and their entries, written before the measurement.
my $prepare = qq{
SET quarantine.duplicate_detection = off;
INSERT INTO person (doc_kind, doc_no, name, sex, birth_date, nationality, jurisdiction)
SELECT 'passport', 'B' || lpad(i::text, 8, '0'),
       (ARRAY['WANG','LI','ZHANG','LIU','CHEN','YANG','HUANG','ZHAO','WU','ZHOU'])[1 + i % 10] || ' '
         || upper(translate(substr(md5(i::text), 1, 6), '0123456789', 'aeioubcdfg')),
       CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END, date '1950-01-01' + (i * 7919) % 25000, 'CHN', '330302'
  FROM generate_series(1, $n) i;
INSERT INTO entry (person_id, entered_at, port, flight, seat, temperature)
SELECT person_id, timestamptz '2021-06-01 08:00+08' + (person_id % 200) * interval '1 day',
       'WNZ', 'CA' || (100 + person_id % 900), (1 + person_id % 40) || 'C', 36.5
  FROM person;
};

# The measured writes: N controls, one transaction per $batch, as districts
# register them through the day.
my $write = qq{
DO \$\$
DECLARE
  lo bigint := (SELECT min(entry_id) FROM quarantine.entry);
BEGIN
  FOR b IN 0 .. $n / $batch - 1 LOOP
    INSERT INTO quarantine.control (person_id, entry_id, jurisdiction, responsible)
    SELECT person_id, entry_id, '330302', 'team ' || entry_id % 7 FROM quarantine.entry
     WHERE entry_id BETWEEN lo + b * $batch AND lo + (b + 1) * $batch - 1;
    COMMIT;
  END LOOP;
END
\$\$;
};

my $solo     = node('solo');
my $city     = node('city');
my $province = node('province');
$solo->safe_psql('postgres', q{SELECT federation_setup_city(2, '330300')});
$city->safe_psql('postgres', q{SELECT federation_setup_city(2, '330300')});
$province->safe_psql('postgres',
	q{SELECT federation_setup_province(1, '330000'); SELECT federation_add_city('330300')});
my $connstr = $city->connstr . ' dbname=postgres';
$province->safe_psql('postgres',
	"CREATE SUBSCRIPTION from_city CONNECTION '$connstr' PUBLICATION quarantine_to_province");
$province->wait_for_subscription_sync($city, 'from_city');
my $city2 = node('city2');
my $plain = node('plain');
$city2->safe_psql('postgres', q{SELECT federation_setup_city(2, '330300')});
$connstr = $city2->connstr . ' dbname=postgres';
$plain->safe_psql('postgres',
	"CREATE SUBSCRIPTION from_city2 CONNECTION '$connstr' PUBLICATION quarantine_to_province");
$plain->wait_for_subscription_sync($city2, 'from_city2');

$solo->safe_psql('postgres', $prepare);
my $t = time;
$city->safe_psql('postgres', $prepare);
$city->wait_for_catchup('from_city');
my $prep_ms = (time - $t) * 1000;
$t = time;
$city2->safe_psql('postgres', $prepare);
$city2->wait_for_catchup('from_city2');
my $prep_plain_ms = (time - $t) * 1000;
$_->safe_psql('postgres', 'VACUUM ANALYZE; CHECKPOINT') for ($solo, $city, $province, $city2, $plain);

$t = time;
$solo->safe_psql('postgres', $write);
my $solo_ms = (time - $t) * 1000;

$t = time;
$city->safe_psql('postgres', $write);
my $city_ms = (time - $t) * 1000;
$province->poll_query_until('postgres', "SELECT count(*) = $n FROM quarantine.control")
  or die "the province did not receive the controls";
my $arrive_ms = (time - $t) * 1000;

$t = time;
$city2->safe_psql('postgres', $write);
my $city2_ms = (time - $t) * 1000;
$plain->poll_query_until('postgres', "SELECT count(*) = $n FROM quarantine.control")
  or die "the plain subscriber did not receive the controls";
my $plain_ms = (time - $t) * 1000;

is($province->safe_psql('postgres', 'SELECT count(*) FROM quarantine.control'),
	$n, "the province has the $n controls");
my $feed = $province->safe_psql('postgres',
	'SELECT count(*) FROM quarantine.code_assignment a JOIN quarantine.control c USING (person_id)');

# PostgreSQL::Test::Utils sends STDOUT to the log; the report goes where the
# test output goes.
my $out = Test::More->builder->output;
print $out sprintf("\n== federation: %d controls in transactions of %d (persons and entries first: %d ms to write and arrive)\n",
  $n, $batch, $prep_ms);
print $out sprintf("%-58s %10.0f ms\n", 'city without subscribers: write', $solo_ms);
print $out sprintf("%-58s %10.0f ms  ratio %.2f\n", 'city with the province subscribed: write', $city_ms,
  $city_ms / $solo_ms);
print $out sprintf("%-58s %10.0f ms  ratio %.2f\n", 'province has them all, from the first write', $arrive_ms,
  $arrive_ms / $solo_ms);
print $out sprintf("%-58s %10.0f ms\n", 'lag after the last commit', $arrive_ms - $city_ms);
print $out sprintf("%-58s %10.0f rows/s\n", 'province apply throughput (controls, replayed colour feed)',
  $n / ($arrive_ms / 1000));
print $out sprintf("%-58s %10d\n", 'colour feed rows derived on the province', $feed);
print $out sprintf("%-58s %10.0f ms  ratio %.2f\n", 'plain subscriber (nothing re-derived) has them all', $plain_ms,
  $plain_ms / $solo_ms);
print $out sprintf("%-58s %10.0f ms\n", '  its lag after the last commit', $plain_ms - $city2_ms);
print $out sprintf("%-58s %10.0f ms vs %.0f ms\n", 'persons and entries, to the province vs the plain subscriber',
  $prep_ms, $prep_plain_ms);

done_testing();

