#compdef winsvc winsvc.exe
# zsh completion for winsvc (winsvc completion zsh)
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
	local verb="" vals prev w valued opts
	integer vi=0 i pos=0
	for ((i = 2; i < CURRENT; i++)); do
		case "${words[i]}" in
		\\\\* | --json | -json) ;;
		*) verb="${(L)words[i]}"; vi=i; break ;;
		esac
	done
	if [[ -z $verb ]]; then
		compadd -- ${=_winsvc_verbs}
		return
	fi
	valued=" $(_winsvc_valued "$verb") "
	opts=" $(_winsvc_options "$verb") "
	prev="${(L)words[CURRENT-1]}"
	if ((CURRENT - 1 > vi)) && [[ $prev == *= || $valued == *" $prev "* ]]; then
		compadd -- ${=$(_winsvc_values "$verb|$prev")}
		return
	fi
	for ((i = vi + 1; i < CURRENT; i++)); do
		w="${(L)words[i]}"
		case "$w" in
		-*=*) ;;
		-*) [[ $valued == *" $w "* ]] && ((i += 1)) ;;
		*=) ((i += 1)) ;;
		*=*) [[ $opts == *" ${w%%=*}= "* ]] || ((pos += 1)) ;;
		*) ((pos += 1)) ;;
		esac
	done
	if [[ $PREFIX != -* ]]; then
		vals="$(_winsvc_values "$verb|@$pos")"
		if [[ -z $vals ]] && ((pos == 0)) && [[ $_winsvc_name_verbs == *" $verb "* ]]; then
			compadd -- ${(f)"$(winsvc list --names 2>/dev/null | tr -d '\r')"}
			return
		fi
		[[ -z $vals ]] && ((pos > 0)) && vals="$(_winsvc_values "$verb|@*")"
		if [[ -n $vals ]]; then
			compadd -- ${=vals}
			return
		fi
	fi
	compadd -- ${=$(_winsvc_options "$verb")}
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
	_winsvc "$@"
else
	compdef _winsvc winsvc winsvc.exe
fi
