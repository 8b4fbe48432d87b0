/**
 * The bash that runs a chapter script's steps (./script.ts assembles the rest): tracing each
 * command after a root prompt, running a step here, through NETBOOK_ENTER, or by waiting for the
 * reader to run it on another machine; the cleanup on failure or Ctrl-C; and `main`.
 */

/** `nb_trace`, `nb_on_error` and `step()`: how one step runs, wherever its machine is. */
export function dispatchLines(): string[] {
	return [
		'# Each step starts with nb_trace: from there on every command is shown after a root prompt, and',
		"# commands run inside $(…) or in the background with bash's usual +, one per level of nesting.",
		'nb_trace() { NB_PS4=("root@$NB_HOST:~# " \'+ \'); PS4=\'${NB_PS4[BASH_SUBSHELL>0]}\'; set -x; }',
		'# The first command of a step that fails is named (the trap fires where `set -e` stops).',
		'nb_on_error() { trap \'{ nb_rc=$? nb_cmd=$BASH_COMMAND; set +x; } 2>/dev/null; nb_failed "$nb_rc" "$nb_cmd"\' ERR; }',
		'',
		'# Runs step N on HOST: here if this is HOST, through NETBOOK_ENTER if set, else waits for you.',
		'# Through NETBOOK_ENTER the step stops at its first failure, as here, except in the cleanup after',
		'# a failure (`set +e`), which runs every command.',
		'step() {',
		'\tlocal n=$1 host=$2 title=$3',
		'\tif [[ -n ${NETBOOK_ENTER:-} ]]; then',
		'\t\tsay "step $n on $host: $title"',
		'\t\tlocal mode=\'set -eE; nb_on_error\'',
		'\t\t[[ $- == *e* ]] || mode=\'set +e\'',
		'\t\t$NETBOOK_ENTER "$host" bash -c "$(declare -f "step_$n" unexpected_success sysctl_as_found nb_failed nb_trace nb_on_error "${NB_FUNCS[@]}"; declare -p NB_SAVED); NB_HOST=$host; $mode; step_$n" ||',
		'\t\t\t{ local status=$?; NB_REPORTED=1; return "$status"; }',
		'\telif [[ $host == "$THIS_HOST" ]]; then',
		'\t\tsay "step $n on $host: $title"',
		'\t\tNB_HOST=$host',
		'\t\t"step_$n"',
		'\t\t{ set +x; } 2>/dev/null',
		'\telif [[ $in_cleanup == 1 || ! -t 0 ]]; then',
		'\t\tsay "step $n runs on $host, not here: skipped"',
		'\telse',
		'\t\tsay "step $n runs on $host: $title"',
		'\t\tread -r -p "Run it on $host (sudo bash $(basename "$0") --host $host), then press Enter here. " _',
		'\tfi',
		'}',
		'',
	];
}

/** `list_steps`, `cleanup` and the exit trap, given the chapter's step listing and cleanup calls. */
export function cleanupLines(listing: readonly string[], cleanupCalls: readonly string[]): string[] {
	return [
		'list_steps() {',
		...listing,
		'}',
		'',
		'in_cleanup=0 cleaned=0',
		'cleanup() {',
		'\tin_cleanup=1',
		...(cleanupCalls.length ? cleanupCalls : ['\t:']),
		'\tcleaned=1',
		'}',
		'',
		'# On failure or Ctrl-C: run the cleanup once, ignoring its errors, remove what it left of this',
		'# run, put the settings back, and keep the exit status.',
		'on_exit() {',
		'\tlocal status=$?',
		'\t{ set +x; } 2>/dev/null',
		'\ttrap - ERR',
		'\tif (( status != 0 && cleaned == 0 && ran == 1 )); then',
		'\t\tsay "stopped with exit status $status: running the cleanup"',
		'\t\tset +e',
		'\t\tcleaned=1',
		'\t\tcleanup',
		'\t\tsweep',
		'\t\trestore',
		'\tfi',
		'\texit "$status"',
		'}',
		'',
	];
}

/** `main` (arguments, preflight and survey, the steps, the cleanup) and the traps that start it. */
export function mainLines(hosts: readonly string[], calls: readonly string[]): string[] {
	return [
		'main() {',
		'\twhile (( $# )); do',
		'\t\tcase $1 in',
		'\t\t\t--host) THIS_HOST=${2:-}; shift 2 || die "--host needs a name: ${HOSTS[*]}" ;;',
		'\t\t\t--list) list_steps; exit 0 ;;',
		`\t\t\t-h|--help) sed -n '2,/^$/s/^# \\{0,1\\}//p' "$0"; exit 0 ;;`,
		'\t\t\t*) die "unknown argument $1 (try --help)" ;;',
		'\t\tesac',
		'\tdone',
		'\tif [[ -z ${NETBOOK_ENTER:-} ]]; then',
		`\t\t[[ -n $THIS_HOST ]] || die "which machine is this? run it with --host NAME, one of: ${hosts.join(' ')}"`,
		`\t\t[[ " ${hosts.join(' ')} " == *" $THIS_HOST "* ]] || die "unknown host $THIS_HOST: this chapter runs on ${hosts.join(' ')}"`,
		'\t\tpreflight',
		'\t\tsurvey "$THIS_HOST"',
		'\telse',
		`\t\tsurvey ${hosts.join(' ')}`,
		'\tfi',
		'\tran=1',
		'\tnb_on_error',
		...calls,
		'\tcleanup',
		'\ttrap - ERR',
		'\tsweep',
		'\trestore',
		'\t(( SWEPT == 0 )) || [[ -z ${NETBOOK_STRICT:-} ]] || die "the chapter\'s cleanup left things behind (removed above)"',
		'\tsay "done: every step ran, the cleanup removed what they made, and the settings are as they were"',
		'}',
		'',
		'ran=0',
		'set -E',
		'trap on_exit EXIT',
		"trap 'exit 130' INT",
		"trap 'exit 143' TERM",
		'main "$@"',
		'',
	];
}
