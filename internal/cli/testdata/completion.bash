# bash completion for winsvc (winsvc completion bash)
_winsvc_verbs="completion config continue control create delete description enumdepend exists failure failureflag get getdisplayname getkeyname help interrogate list managedaccount pause preferrednode privs qc qdescription qfailure qfailureflag qmanagedaccount qpreferrednode qprivs qprotection qsidtype qtriggerinfo query queryex querylock quserservice restart sdset sdshow showsid sidtype start status stop triggerinfo wait watch"
_winsvc_name_verbs=" config continue control delete description enumdepend exists failure failureflag get getdisplayname interrogate managedaccount pause preferrednode privs qc qdescription qfailure qfailureflag qmanagedaccount qpreferrednode qprivs qprotection qsidtype qtriggerinfo query queryex quserservice restart sdset sdshow showsid sidtype start status stop triggerinfo wait watch "
_winsvc_options() {
	case "$1" in
	completion) echo "--json --help" ;;
	config) echo "binpath= --binpath --binary-path type= --type start= --start error= --error group= --group tag= --tag depend= --depend obj= --obj --account displayname= --displayname --display-name password= --password --password-stdin --dry-run --json --help" ;;
	continue) echo "--no-wait --timeout --ensure --json --help" ;;
	control) echo "--json --help" ;;
	create) echo "binpath= --binpath --binary-path type= --type start= --start error= --error group= --group tag= --tag depend= --depend obj= --obj --account displayname= --displayname --display-name password= --password --password-stdin --dry-run --json --help" ;;
	delete) echo "--stop --wait --timeout --json --help" ;;
	description) echo "--json --help" ;;
	enumdepend) echo "--tree --json --help" ;;
	exists) echo "--json --help" ;;
	failure) echo "reset= --reset reboot= --reboot command= --command actions= --actions --json --help" ;;
	failureflag) echo "--json --help" ;;
	get) echo "--json --help" ;;
	getdisplayname) echo "--json --help" ;;
	getkeyname) echo "--json --help" ;;
	help) echo "--json --help" ;;
	interrogate) echo "--json --help" ;;
	list) echo "--state --start --type --group --name --names --json --help" ;;
	managedaccount) echo "--json --help" ;;
	pause) echo "--no-wait --timeout --ensure --json --help" ;;
	preferrednode) echo "--json --help" ;;
	privs) echo "--json --help" ;;
	qc) echo "--json --help" ;;
	qdescription) echo "--json --help" ;;
	qfailure) echo "--json --help" ;;
	qfailureflag) echo "--json --help" ;;
	qmanagedaccount) echo "--json --help" ;;
	qpreferrednode) echo "--json --help" ;;
	qprivs) echo "--json --help" ;;
	qprotection) echo "--json --help" ;;
	qsidtype) echo "--json --help" ;;
	qtriggerinfo) echo "--json --help" ;;
	query) echo "type= --type state= --state group= --group bufsize= --bufsize ri= --ri --json --help" ;;
	queryex) echo "type= --type state= --state group= --group bufsize= --bufsize ri= --ri --json --help" ;;
	querylock) echo "--json --help" ;;
	quserservice) echo "--json --help" ;;
	restart) echo "--no-wait --timeout --json --help" ;;
	sdset) echo "--force --json --help" ;;
	sdshow) echo "--explain --json --help" ;;
	showsid) echo "--json --help" ;;
	sidtype) echo "--json --help" ;;
	start) echo "--no-wait --timeout --ensure --json --help" ;;
	status) echo "--json --help" ;;
	stop) echo "--with-dependents --no-wait --timeout --ensure --json --help" ;;
	triggerinfo) echo "--json --help" ;;
	wait) echo "--timeout --json --help" ;;
	watch) echo "--interval --timeout --json --help" ;;
	esac
}
_winsvc_values() {
	case "$1" in
	"completion|") echo "bash zsh powershell" ;;
	"config|--error") echo "normal severe critical ignore" ;;
	"config|--start") echo "boot system auto demand disabled delayed-auto" ;;
	"config|--tag") echo "yes no" ;;
	"config|--type") echo "own share kernel filesys rec adapt interact userown usershare" ;;
	"config|error=") echo "normal severe critical ignore" ;;
	"config|start=") echo "boot system auto demand disabled delayed-auto" ;;
	"config|tag=") echo "yes no" ;;
	"config|type=") echo "own share kernel filesys rec adapt interact userown usershare" ;;
	"create|--error") echo "normal severe critical ignore" ;;
	"create|--start") echo "boot system auto demand disabled delayed-auto" ;;
	"create|--tag") echo "yes no" ;;
	"create|--type") echo "own share kernel filesys rec adapt interact userown usershare" ;;
	"create|error=") echo "normal severe critical ignore" ;;
	"create|start=") echo "boot system auto demand disabled delayed-auto" ;;
	"create|tag=") echo "yes no" ;;
	"create|type=") echo "own share kernel filesys rec adapt interact userown usershare" ;;
	"failure|--actions") echo "restart/ run/ reboot/" ;;
	"failure|actions=") echo "restart/ run/ reboot/" ;;
	"help|") echo "completion config continue control create delete description enumdepend exists failure failureflag get getdisplayname getkeyname help interrogate list managedaccount pause preferrednode privs qc qdescription qfailure qfailureflag qmanagedaccount qpreferrednode qprivs qprotection qsidtype qtriggerinfo query queryex querylock quserservice restart sdset sdshow showsid sidtype start status stop triggerinfo wait watch syntax exit-codes json" ;;
	"list|--start") echo "auto delayed-auto demand disabled boot system" ;;
	"list|--state") echo "running stopped paused pending active inactive all" ;;
	"list|--type") echo "service driver all" ;;
	"queryex|--state") echo "active inactive all" ;;
	"queryex|--type") echo "service driver all own share kernel filesys rec interact" ;;
	"queryex|state=") echo "active inactive all" ;;
	"queryex|type=") echo "service driver all own share kernel filesys rec interact" ;;
	"query|--state") echo "active inactive all" ;;
	"query|--type") echo "service driver all own share kernel filesys rec interact" ;;
	"query|state=") echo "active inactive all" ;;
	"query|type=") echo "service driver all own share kernel filesys rec interact" ;;
	esac
}

_winsvc() {
	local cur prev verb="" vi=0 i vals
	COMPREPLY=()
	cur="${COMP_WORDS[COMP_CWORD]}"
	prev="${COMP_WORDS[COMP_CWORD-1]}"
	# "=" breaks words in bash: "start= auto" arrives as start, =, auto.
	if [[ $cur == "=" ]]; then cur=""; prev="${COMP_WORDS[COMP_CWORD-1]}="; fi
	if [[ $prev == "=" && $COMP_CWORD -ge 2 ]]; then prev="${COMP_WORDS[COMP_CWORD-2]}="; fi
	for ((i = 1; i < COMP_CWORD; i++)); do
		case "${COMP_WORDS[i]}" in
		\\\\* | --json | -json) ;;
		*) verb="${COMP_WORDS[i],,}"; vi=$i; break ;;
		esac
	done
	if [[ -z $verb ]]; then
		COMPREPLY=($(compgen -W "$_winsvc_verbs" -- "$cur"))
		return
	fi
	if ((COMP_CWORD == vi + 1)); then
		vals="$(_winsvc_values "$verb|")"
	fi
	[[ -z $vals ]] && vals="$(_winsvc_values "$verb|${prev,,}")"
	if [[ -n $vals ]]; then
		COMPREPLY=($(compgen -W "$vals" -- "$cur"))
		return
	fi
	if ((COMP_CWORD == vi + 1)) && [[ $_winsvc_name_verbs == *" $verb "* && $cur != -* ]]; then
		COMPREPLY=($(compgen -W "$(winsvc list --names 2>/dev/null | tr -d '\r')" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -W "$(_winsvc_options "$verb")" -- "$cur"))
}
complete -F _winsvc winsvc winsvc.exe
