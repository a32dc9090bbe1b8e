# --sbatch prints a dSQ-style job-array script; --array-task runs one line as Slurm would and appends its row
# to job_<jobid>_status.tsv under a lock (here several tasks at once, with Slurm's variables set by hand).
. "$(dirname "$0")/lib.sh"

printf 'echo zero\n\n# skipped\necho three\nexit 4\necho five\n' > jobs.txt
"$RUN" --sbatch -j2 --sbatch-options "--mem=1G --time=10:00" jobs.txt > script.sh || fail "--sbatch"
grep -qx '#SBATCH --array=0,3-5%2' script.sh || fail "array ranges: $(cat script.sh)"
grep -qx '#SBATCH --mem=1G' script.sh || fail "extra options: $(cat script.sh)"
grep -q -- "--array-task" script.sh || fail "the script does not run --array-task"

for task in 0 3 4 5; do
    SLURM_ARRAY_JOB_ID=77 SLURM_ARRAY_TASK_ID=$task "$RUN" --array-task jobs.txt > "task$task.out" &
done
wait
[ "$(wc -l < job_77_status.tsv)" -eq 4 ] || fail "status rows: $(cat job_77_status.tsv)"
[ "$(awk -F'\t' '$1 == 4 { print $2 }' job_77_status.tsv)" = 4 ] || fail "exit code column: $(cat job_77_status.tsv)"
[ "$(awk -F'\t' '$1 == 3 { print $7 }' job_77_status.tsv)" = "echo three" ] || fail "task column"
[ "$(cat task3.out)" = three ] || fail "task output"
SLURM_ARRAY_JOB_ID=77 SLURM_ARRAY_TASK_ID=1 "$RUN" --array-task jobs.txt 2> err; s=$?
[ $s -eq 255 ] && grep -q "line 1 is not a job" err || fail "a blank line as a task: $s $(cat err)"
# A job on line 4000001, past the largest MaxArraySize Slurm allows (blank lines keep their numbers): refused.
awk 'BEGIN { for (i = 0; i < 4000001; i++) print ""; print "true" }' > huge.txt
"$RUN" --sbatch huge.txt > /dev/null 2> err; s=$?
[ $s -eq 255 ] && grep -q "MaxArraySize" err || fail "past MaxArraySize: status $s, $(cat err)"
echo ok
