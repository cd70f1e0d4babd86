\echo
\echo '== summary: subject vs baseline, best of runs, measured in this run'
SELECT label, subject_ms, baseline_ms, ratio, note FROM bench.result ORDER BY label;
