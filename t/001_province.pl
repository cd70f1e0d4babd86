use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('province');
$node->init(allows_streaming => 'logical');
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION quarantine CASCADE');
is($node->safe_psql('postgres', "SELECT extversion FROM pg_extension WHERE extname = 'quarantine'"), '0.2.0', 'installed');
done_testing();
