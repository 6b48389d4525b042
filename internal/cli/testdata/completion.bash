# bash completion for winsvc (winsvc completion bash)
_winsvc_verbs="apply check completion config continue control create delete description doctor enumdepend exists export failure failureflag get getdisplayname getkeyname graph help host interrogate list logs managedaccount pause plan preferrednode privs qc qdescription qfailure qfailureflag qmanagedaccount qpreferrednode qprivs qprotection qsidtype qtriggerinfo query queryex querylock quserservice restart sdset sdshow showsid sidtype start status stop triggerinfo wait watch"
_winsvc_name_verbs=" check config continue control delete description doctor enumdepend exists export failure failureflag get getdisplayname graph host interrogate logs managedaccount pause preferrednode privs qc qdescription qfailure qfailureflag qmanagedaccount qpreferrednode qprivs qprotection qsidtype qtriggerinfo query queryex quserservice restart sdset sdshow showsid sidtype start status stop triggerinfo wait watch "
_winsvc_options() {
	case "$1" in
	apply) echo "--file --dry-run --continue-on-error --password-stdin --timeout --json --help" ;;
	check) echo "--json --help" ;;
	completion) echo "--json --help" ;;
	config) echo "binpath= --binpath --binary-path type= --type start= --start error= --error group= --group tag= --tag depend= --depend obj= --obj --account displayname= --displayname --display-name password= --password --password-stdin --program --arg --dir --env --stdout --stderr --restart --dry-run --json --help" ;;
	continue) echo "--no-wait --timeout --ensure --json --help" ;;
	control) echo "--json --help" ;;
	create) echo "binpath= --binpath --binary-path type= --type start= --start error= --error group= --group tag= --tag depend= --depend obj= --obj --account displayname= --displayname --display-name password= --password --password-stdin --program --arg --dir --env --stdout --stderr --restart --dry-run --json --help" ;;
	delete) echo "--stop --wait --timeout --json --help" ;;
	description) echo "--json --help" ;;
	doctor) echo "--all --try-start --json --help" ;;
	enumdepend) echo "--tree --graph --json --help" ;;
	exists) echo "--json --help" ;;
	export) echo "--all --output --format --no-state --json --help" ;;
	failure) echo "reset= --reset reboot= --reboot command= --command actions= --actions --json --help" ;;
	failureflag) echo "--json --help" ;;
	get) echo "--json --help" ;;
	getdisplayname) echo "--json --help" ;;
	getkeyname) echo "--json --help" ;;
	graph) echo "--format --direction --depth --json --help" ;;
	help) echo "--json --help" ;;
	host) echo "--json --help" ;;
	interrogate) echo "--json --help" ;;
	list) echo "--state --start --type --group --name --names --json --help" ;;
	logs) echo "--events --stdout --stderr --lines --follow --json --help" ;;
	managedaccount) echo "--json --help" ;;
	pause) echo "--no-wait --timeout --ensure --json --help" ;;
	plan) echo "--file --detailed-exitcode --json --help" ;;
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
_winsvc_valued() {
	case "$1" in
	apply) echo "--file --timeout" ;;
	config) echo "--binpath --binary-path --type --start --error --group --tag --depend --obj --account --displayname --display-name --password --program --arg --dir --env --stdout --stderr --restart" ;;
	continue) echo "--timeout" ;;
	create) echo "--binpath --binary-path --type --start --error --group --tag --depend --obj --account --displayname --display-name --password --program --arg --dir --env --stdout --stderr --restart" ;;
	delete) echo "--timeout" ;;
	enumdepend) echo "--graph" ;;
	export) echo "--output --format" ;;
	failure) echo "--reset --reboot --command --actions" ;;
	graph) echo "--format --direction --depth" ;;
	list) echo "--state --start --type --group --name" ;;
	logs) echo "--lines" ;;
	pause) echo "--timeout" ;;
	plan) echo "--file" ;;
	query) echo "--type --state --group --bufsize --ri" ;;
	queryex) echo "--type --state --group --bufsize --ri" ;;
	restart) echo "--timeout" ;;
	start) echo "--timeout" ;;
	stop) echo "--timeout" ;;
	wait) echo "--timeout" ;;
	watch) echo "--interval --timeout" ;;
	esac
}
_winsvc_values() {
	case "$1" in
	"completion|@0") echo "bash zsh powershell" ;;
	"config|--error") echo "normal severe critical ignore" ;;
	"config|--restart") echo "on-failure always never" ;;
	"config|--start") echo "boot system auto demand disabled delayed-auto" ;;
	"config|--tag") echo "yes no" ;;
	"config|--type") echo "own share kernel filesys rec adapt interact userown usershare" ;;
	"config|error=") echo "normal severe critical ignore" ;;
	"config|start=") echo "boot system auto demand disabled delayed-auto" ;;
	"config|tag=") echo "yes no" ;;
	"config|type=") echo "own share kernel filesys rec adapt interact userown usershare" ;;
	"control|@1") echo "continue interrogate netbindadd netbinddisable netbindenable netbindremove paramchange pause stop" ;;
	"create|--error") echo "normal severe critical ignore" ;;
	"create|--restart") echo "on-failure always never" ;;
	"create|--start") echo "boot system auto demand disabled delayed-auto" ;;
	"create|--tag") echo "yes no" ;;
	"create|--type") echo "own share kernel filesys rec adapt interact userown usershare" ;;
	"create|error=") echo "normal severe critical ignore" ;;
	"create|start=") echo "boot system auto demand disabled delayed-auto" ;;
	"create|tag=") echo "yes no" ;;
	"create|type=") echo "own share kernel filesys rec adapt interact userown usershare" ;;
	"enumdepend|--graph") echo "dot mermaid svg" ;;
	"export|--format") echo "yaml json" ;;
	"failureflag|@1") echo "0 1" ;;
	"failure|--actions") echo "restart/ run/ reboot/" ;;
	"failure|actions=") echo "restart/ run/ reboot/" ;;
	"graph|--direction") echo "both depends dependents" ;;
	"graph|--format") echo "dot mermaid svg" ;;
	"help|@0") echo "apply check completion config continue control create delete description doctor enumdepend exists export failure failureflag get getdisplayname getkeyname graph help host interrogate list logs managedaccount pause plan preferrednode privs qc qdescription qfailure qfailureflag qmanagedaccount qpreferrednode qprivs qprotection qsidtype qtriggerinfo query queryex querylock quserservice restart sdset sdshow showsid sidtype start status stop triggerinfo wait watch exit-codes json syntax" ;;
	"list|--start") echo "boot system auto demand disabled delayed-auto" ;;
	"list|--state") echo "running stopped paused pending active inactive all" ;;
	"list|--type") echo "service driver all" ;;
	"managedaccount|@1") echo "true false" ;;
	"preferrednode|@1") echo "delete" ;;
	"queryex|--state") echo "active inactive all" ;;
	"queryex|--type") echo "service driver all own share kernel filesys rec interact" ;;
	"queryex|state=") echo "active inactive all" ;;
	"queryex|type=") echo "service driver all own share kernel filesys rec interact" ;;
	"query|--state") echo "active inactive all" ;;
	"query|--type") echo "service driver all own share kernel filesys rec interact" ;;
	"query|state=") echo "active inactive all" ;;
	"query|type=") echo "service driver all own share kernel filesys rec interact" ;;
	"sidtype|@1") echo "none unrestricted restricted" ;;
	"triggerinfo|@*") echo "delete start/device/ start/custom/ start/strcustom/ start/networkon stop/networkoff start/domainjoin stop/domainleave start/portopen/ stop/portclose/ start/machinepolicy start/userpolicy start/rpcinterface/ start/namedpipe/" ;;
	"triggerinfo|@1") echo "delete start/device/ start/custom/ start/strcustom/ start/networkon stop/networkoff start/domainjoin stop/domainleave start/portopen/ stop/portclose/ start/machinepolicy start/userpolicy start/rpcinterface/ start/namedpipe/" ;;
	"wait|@1") echo "running stopped paused start-pending stop-pending pause-pending continue-pending" ;;
	esac
}

_winsvc() {
	local cur prev verb="" vi=0 i pos=0 vals valued
	COMPREPLY=()
	cur="${COMP_WORDS[COMP_CWORD]}"
	prev="${COMP_WORDS[COMP_CWORD-1]}"
	# "=" breaks words in bash: "start= auto" and "start=auto" arrive as
	# start, =, auto.
	if [[ $cur == "=" ]]; then cur=""; prev="${COMP_WORDS[COMP_CWORD-1]}="; fi
	if [[ $prev == "=" && $COMP_CWORD -ge 2 ]]; then prev="${COMP_WORDS[COMP_CWORD-2]}="; fi
	prev="${prev,,}"
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
	valued=" $(_winsvc_valued "$verb") "
	if ((COMP_CWORD > vi + 1)) && [[ $prev == *= || $valued == *" $prev "* ]]; then
		COMPREPLY=($(compgen -W "$(_winsvc_values "$verb|$prev")" -- "$cur"))
		return
	fi
	for ((i = vi + 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i+1]} == "=" ]]; then
			((i += 2)) # option, =, value
			continue
		fi
		case "${COMP_WORDS[i],,}" in
		-*) [[ $valued == *" ${COMP_WORDS[i],,} "* ]] && ((i += 1)) ;;
		*) ((pos += 1)) ;;
		esac
	done
	if [[ $cur != -* ]]; then
		vals="$(_winsvc_values "$verb|@$pos")"
		if [[ -z $vals && $pos == 0 && $_winsvc_name_verbs == *" $verb "* ]]; then
			vals="$(winsvc list --names 2>/dev/null | tr -d '\r')"
		fi
		[[ -z $vals && $pos -gt 0 ]] && vals="$(_winsvc_values "$verb|@*")"
		if [[ -n $vals ]]; then
			COMPREPLY=($(compgen -W "$vals" -- "$cur"))
			return
		fi
	fi
	COMPREPLY=($(compgen -W "$(_winsvc_options "$verb")" -- "$cur"))
}
complete -F _winsvc winsvc winsvc.exe
