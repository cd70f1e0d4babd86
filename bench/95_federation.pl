# Lag and throughput of the federation (doc/federation.md): N persons (one
# transaction, as a charter flight or a re-import), their N entries (one
# transaction) and N controls (transactions of 1000, as districts register
# them through the day) written in a city (BENCH_CONTROLS, default 100000),
# and for each how long until the province has them all, from the first
# write and after the city's last COMMIT; against the same writes on a city
# without subscribers, and, to tell what the province's re-derivation costs,
# the same pair with a plain subscriber (the extension installed, no
# province set-up: no replayed trigger).  Five clusters started here
# (PostgreSQL::Test::Cluster), all on this machine in this run, so the
# figures are ratios of one run.  Run by `make bench` (BENCH=95_federation
# for this one alone), which also prints the figures in its summary
# (bench.result of the harness's cluster).
use strict;
use warnings;
# The harness's cluster, before the test modules reset the environment.
my ($bench_host, $bench_port);
BEGIN { ($bench_host, $bench_port) = @ENV{qw(PGHOST PGPORT)}; }
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Time::HiRes qw(time);
use Test::More;

my $n     = $ENV{BENCH_CONTROLS} // 100000;
my $batch = 1000;
$n = $batch * int(($n + $batch - 1) / $batch);
# How the subscriptions receive a large transaction (doc/federation.md,
# "Lag and throughput"): by default as the set-up recommends, streamed while
# the city still writes (streaming = parallel on 16 and later, on on 15),
# with the cities' logical_decoding_work_mem at BENCH_DECODING_MEM (default
# 1MB) so that a large transaction is streamed at all.  BENCH_STREAMING=off
# receives it at commit, as before 0.3.0 (and the default
# logical_decoding_work_mem, 64MB); BENCH_STREAMING=on or parallel forces one.
my $streaming = $ENV{BENCH_STREAMING};
my $decoding_mem = $ENV{BENCH_DECODING_MEM};
sub node
{
	my ($name) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$streaming //= $node->pg_version >= 16 ? 'parallel' : 'on';
	$decoding_mem //= $streaming eq 'off' ? '64MB' : '1MB';
	$node->init(allows_streaming => 'logical');
	$node->append_conf('postgresql.conf', qq{
shared_buffers = 128MB
max_wal_size = 4GB
max_logical_replication_workers = 8
max_worker_processes = 16
});
	$node->append_conf('postgresql.conf', "logical_decoding_work_mem = '$decoding_mem'\n");
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

# The three measured writes.
my $persons = qq{
SET quarantine.duplicate_detection = off;
INSERT INTO person (doc_kind, doc_no, name, sex, birth_date, nationality, jurisdiction)
SELECT 'passport', 'B' || lpad(i::text, 8, '0'),
       (ARRAY['WANG','LI','ZHANG','LIU','CHEN','YANG','HUANG','ZHAO','WU','ZHOU'])[1 + i % 10] || ' '
         || upper(translate(substr(md5(i::text), 1, 6), '0123456789', 'aeioubcdfg')),
       CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END, date '1950-01-01' + (i * 7919) % 25000, 'CHN', '330302'
  FROM generate_series(1, $n) i;
};
my $entries = q{
INSERT INTO entry (person_id, entered_at, port, flight, seat, temperature)
SELECT person_id, timestamptz '2021-06-01 08:00+08' + (person_id % 200) * interval '1 day',
       'WNZ', 'CA' || (100 + person_id % 900), (1 + person_id % 40) || 'C', 36.5
  FROM person;
};
my $controls = qq{
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
my $with = " WITH (streaming = $streaming)";
my $tag  = " (streaming = $streaming, logical_decoding_work_mem = $decoding_mem)";
my $city     = node('city');
my $province = node('province');
$solo->safe_psql('postgres', q{SELECT federation_setup_city(2, '330300')});
$city->safe_psql('postgres', q{SELECT federation_setup_city(2, '330300')});
$province->safe_psql('postgres',
	q{SELECT federation_setup_province(1, '330000'); SELECT federation_add_city('330300')});
my $connstr = $city->connstr . ' dbname=postgres';
$province->safe_psql('postgres',
	"CREATE SUBSCRIPTION from_city CONNECTION '$connstr' PUBLICATION quarantine_to_province$with");
$province->wait_for_subscription_sync($city, 'from_city');
my $city2 = node('city2');
my $plain = node('plain');
$city2->safe_psql('postgres', q{SELECT federation_setup_city(2, '330300')});
$connstr = $city2->connstr . ' dbname=postgres';
$plain->safe_psql('postgres',
	"CREATE SUBSCRIPTION from_city2 CONNECTION '$connstr' PUBLICATION quarantine_to_province$with");
$plain->wait_for_subscription_sync($city2, 'from_city2');

# Write sql on city and time until subscriber has all n rows of table:
# (write ms, arrived ms), both from the first write.
sub replicate
{
	my ($city, $subscriber, $sql, $table) = @_;
	my $t = time;
	$city->safe_psql('postgres', $sql);
	my $write = (time - $t) * 1000;
	$subscriber->poll_query_until('postgres', "SELECT count(*) = $n FROM quarantine.$table")
	  or die "the subscriber did not receive the $table rows";
	return ($write, (time - $t) * 1000);
}

my (%solo, %province, %plain);
for my $step ([ 'person', $persons ], [ 'entry', $entries ], [ 'control', $controls ])
{
	my ($table, $sql) = @$step;
	my $t = time;
	$solo->safe_psql('postgres', $sql);
	$solo{$table} = (time - $t) * 1000;
	$province{$table} = [ replicate($city, $province, $sql, $table) ];
	$plain{$table} = [ replicate($city2, $plain, $sql, $table) ];
	$_->safe_psql('postgres', 'VACUUM ANALYZE; CHECKPOINT') for ($solo, $city, $province, $city2, $plain);
}

is($province->safe_psql('postgres', 'SELECT count(*) FROM quarantine.control'),
	$n, "the province has the $n controls");
my $feed = $province->safe_psql('postgres',
	'SELECT count(*) FROM quarantine.code_assignment a JOIN quarantine.control c USING (person_id)');

# PostgreSQL::Test::Utils sends STDOUT to the log; the report goes where the
# test output goes.
my $out = Test::More->builder->output;
my @rows;
print $out sprintf("\n== federation: %d persons (one transaction), entries (one), controls (transactions of %d)%s\n",
	$n, $batch, $tag);
my %plural = (person => 'persons', entry => 'entries', control => 'controls');
for my $table ('person', 'entry', 'control')
{
	my ($w, $a)   = @{ $province{$table} };
	my ($w2, $a2) = @{ $plain{$table} };
	print $out sprintf("%s\n", $table);
	print $out sprintf("  %-56s %10.0f ms\n", 'city without subscribers: write', $solo{$table});
	print $out sprintf("  %-56s %10.0f ms  ratio %.2f\n", 'city with the province subscribed: write', $w,
		$w / $solo{$table});
	print $out sprintf("  %-56s %10.0f ms  ratio %.2f\n", 'province has them all, from the first write', $a,
		$a / $solo{$table});
	print $out sprintf("  %-56s %10.0f ms\n", 'province lag after the last commit', $a - $w);
	print $out sprintf("  %-56s %10.0f rows/s\n", 'province apply throughput', $n / ($a / 1000));
	print $out sprintf("  %-56s %10.0f ms  ratio %.2f\n", 'plain subscriber (nothing re-derived) has them all',
		$a2, $a2 / $solo{$table});
	print $out sprintf("  %-56s %10.0f ms\n", 'plain subscriber lag after the last commit', $a2 - $w2);
	push @rows, [ "federation$tag: $n $plural{$table}, province lag after the city's last commit vs plain subscriber",
		$a - $w, $a2 - $w2, 'target <= 2000 ms' ];
	push @rows, [ "federation$tag: $n $plural{$table}, province has them all vs plain subscriber, from the first write",
		$a, $a2, undef ];
}
print $out sprintf("%-58s %10d\n", 'colour feed rows derived on the province', $feed);
# Whether the city streamed the large transactions (counters of the slots).
for my $pair ([ $city, 'from_city' ], [ $city2, 'from_city2' ])
{
	my ($node, $slot) = @$pair;
	print $out sprintf("%-58s %s\n", "city slot $slot: streamed txns, chunks, MB; spilled txns",
		$node->safe_psql('postgres', qq{SELECT stream_txns || ', ' || stream_count || ', '
		  || round(stream_bytes / 1048576.0) || '; ' || spill_txns
		  FROM pg_stat_replication_slots WHERE slot_name = '$slot'}));
}

# Into the summary of `make bench` (the harness's cluster, when there is one).
if (defined $bench_host && defined $bench_port && $bench_port ne '')
{
	my $values = join(",\n", map {
		sprintf("(%s, %.0f, %.0f, round(%.0f / nullif(%.0f, 0)::numeric, 2), %s)",
			quote($_->[0]), $_->[1], $_->[2], $_->[1], $_->[2], defined $_->[3] ? quote($_->[3]) : 'NULL')
	} @rows);
	system('psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', $bench_host, '-p', $bench_port,
		'-d', 'quarantine_bench', '-c', "INSERT INTO bench.result VALUES $values") == 0
	  or diag('could not record the figures in bench.result');
}

sub quote { my ($s) = @_; $s =~ s/'/''/g; return "'$s'"; }

done_testing();
