package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

var completionCmd = &command{name: "completion", group: groupOther, summary: "Print a shell completion script (bash, zsh or powershell)",
	usage: "completion bash|zsh|powershell",
	details: "The scripts complete verbs, options, option values and service names (they\n" +
		"run 'winsvc list --names' for the names).\n" +
		"  bash:        source <(winsvc completion bash)    # e.g. in ~/.bashrc\n" +
		"  zsh:         winsvc completion zsh > \"${fpath[1]}/_winsvc\"\n" +
		"  PowerShell:  winsvc completion powershell | Out-String | Invoke-Expression   # e.g. in $PROFILE",
	examples: []string{"winsvc completion bash > /etc/bash_completion.d/winsvc", "winsvc completion powershell >> $PROFILE"},
	args:     [][]string{{"bash", "zsh", "powershell"}},
	minArgs:  1, maxArgs: 1, action: newAction(parseCompletion, runCompletion, renderCompletion)}

// shells are the completion scripts, each made from a verb table.
var shells = map[string]func(cmds *table) string{"bash": bashCompletion, "zsh": zshCompletion, "powershell": powershellCompletion}

// CompletionOptions are the Options of completion.
type CompletionOptions struct{ Shell string }

func parseCompletion(p *parsed) (*CompletionOptions, error) {
	s := strings.ToLower(p.arg(0))
	if s == "pwsh" {
		s = "powershell"
	}
	if shells[s] == nil {
		return nil, p.usagef("shell %q: use bash, zsh or powershell", p.arg(0))
	}
	return &CompletionOptions{Shell: s}, nil
}

// completionJSON is completion's result, and its JSON document.
type completionJSON struct {
	Script string `json:"script"`
	Shell  string `json:"shell"`
}

// runCompletion makes the script from the verb table.
func runCompletion(_ context.Context, e *env, o *CompletionOptions) (completionJSON, error) {
	return completionJSON{Shell: o.Shell, Script: shells[o.Shell](e.cmds)}, nil
}

func renderCompletion(e *env, r completionJSON) error {
	if e.json {
		return e.writeJSON(r)
	}
	e.printf("%s", r.Script)
	return nil
}

// completionData is what every script knows: the verbs, each verb's
// options, the values of the options and positional arguments that have a
// fixed set, and the verbs whose first argument is a service name. It comes
// from the verb table alone (options' values, commands' args), so the three
// scripts offer the same.
type completionData struct {
	verbs   []string            // lower case
	options map[string][]string // verb -> "start=", "--start", ...
	valued  map[string][]string // verb -> its flags that take a value ("--timeout")
	// values maps "verb|start=" and "verb|--start" to an option's values,
	// "verb|@N" to the values of positional argument N (0 is the first
	// after the verb), and "verb|@*" to those of every argument after the
	// listed ones (a verb that takes any number).
	values    map[string][]string
	nameVerbs []string
}

func collectCompletion(cmds *table) completionData {
	d := completionData{options: map[string][]string{}, valued: map[string][]string{}, values: map[string][]string{}}
	for _, c := range cmds.list() {
		verb := strings.ToLower(c.name)
		d.verbs = append(d.verbs, verb)
		if c.nameArg {
			d.nameVerbs = append(d.nameVerbs, verb)
		}
		for _, o := range c.allOptions() {
			var forms []string
			if o.sc {
				forms = append(forms, strings.ToLower(o.name)+"=")
			}
			flags := []string{"--" + strings.ToLower(o.name)}
			for _, a := range o.aliases {
				if len(a) > 1 {
					flags = append(flags, "--"+a)
				}
			}
			forms = append(forms, flags...)
			d.options[verb] = append(d.options[verb], forms...)
			if !o.bool {
				d.valued[verb] = append(d.valued[verb], flags...)
			}
			if len(o.values) > 0 {
				for _, f := range forms {
					d.values[verb+"|"+f] = o.values
				}
			}
		}
		for i, vals := range c.args {
			if len(vals) > 0 {
				d.values[fmt.Sprintf("%s|@%d", verb, i)] = vals
				if c.maxArgs < 0 && i == len(c.args)-1 {
					d.values[verb+"|@*"] = vals
				}
			}
		}
	}
	d.values["help|@0"] = append(append([]string{}, d.verbs...), sortedKeys(topics)...)
	return d
}

// shellCases renders the shared shell functions (bash and zsh): the options
// of a verb, its flags that take a value, and the values of a key of
// completionData.values.
func (d completionData) shellCases() string {
	var b strings.Builder
	fmt.Fprintf(&b, "_winsvc_verbs=%q\n", strings.Join(d.verbs, " "))
	fmt.Fprintf(&b, "_winsvc_name_verbs=%q\n", " "+strings.Join(d.nameVerbs, " ")+" ")
	b.WriteString("_winsvc_options() {\n\tcase \"$1\" in\n")
	for _, v := range d.verbs {
		fmt.Fprintf(&b, "\t%s) echo %q ;;\n", v, strings.Join(d.options[v], " "))
	}
	b.WriteString("\tesac\n}\n_winsvc_valued() {\n\tcase \"$1\" in\n")
	for _, v := range d.verbs {
		if len(d.valued[v]) > 0 {
			fmt.Fprintf(&b, "\t%s) echo %q ;;\n", v, strings.Join(d.valued[v], " "))
		}
	}
	b.WriteString("\tesac\n}\n_winsvc_values() {\n\tcase \"$1\" in\n")
	for _, k := range sortedKeys(d.values) {
		fmt.Fprintf(&b, "\t%q) echo %q ;;\n", k, strings.Join(d.values[k], " "))
	}
	b.WriteString("\tesac\n}\n")
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// The scripts work alike: find the verb (skipping \\server and --json);
// count the positional arguments before the word being completed, skipping
// options and their values; then offer, in this order, the values of the
// option just before the word, the values of that positional argument, the
// service names (first argument of a name verb), or the verb's options. A
// word that starts with "-" always completes to options.

func bashCompletion(cmds *table) string {
	return "# bash completion for winsvc (winsvc completion bash)\n" + collectCompletion(cmds).shellCases() + `
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
`
}

func zshCompletion(cmds *table) string {
	return "#compdef winsvc winsvc.exe\n# zsh completion for winsvc (winsvc completion zsh)\n" + collectCompletion(cmds).shellCases() + `
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
`
}

func powershellCompletion(cmds *table) string {
	d := collectCompletion(cmds)
	var b strings.Builder
	b.WriteString("# PowerShell completion for winsvc (winsvc completion powershell)\n")
	b.WriteString("Register-ArgumentCompleter -Native -CommandName winsvc, winsvc.exe -ScriptBlock {\n")
	b.WriteString("\tparam($wordToComplete, $commandAst, $cursorPosition)\n")
	// The tables live inside the block, so that it needs no outer scope.
	fmt.Fprintf(&b, "\t$verbs = @(%s)\n", psList(d.verbs))
	fmt.Fprintf(&b, "\t$nameVerbs = @(%s)\n", psList(d.nameVerbs))
	b.WriteString("\t$options = @{\n")
	for _, v := range d.verbs {
		fmt.Fprintf(&b, "\t\t'%s' = @(%s)\n", v, psList(d.options[v]))
	}
	b.WriteString("\t}\n\t$valued = @{\n")
	for _, v := range d.verbs {
		if len(d.valued[v]) > 0 {
			fmt.Fprintf(&b, "\t\t'%s' = @(%s)\n", v, psList(d.valued[v]))
		}
	}
	b.WriteString("\t}\n\t$values = @{\n")
	for _, k := range sortedKeys(d.values) {
		fmt.Fprintf(&b, "\t\t'%s' = @(%s)\n", k, psList(d.values[k]))
	}
	b.WriteString(`	}
	$words = @($commandAst.CommandElements | ForEach-Object { $_.Extent.Text })
	$count = $words.Count
	if ($wordToComplete -ne '') { $count-- }
	$verb = ''; $vi = 0
	for ($i = 1; $i -lt $count; $i++) {
		if ($words[$i] -like '\\*' -or $words[$i] -in '--json', '-json') { continue }
		$verb = $words[$i].ToLowerInvariant(); $vi = $i; break
	}
	if ($verb -eq '') {
		$candidates = $verbs
	} else {
		$prev = $words[$count - 1].ToLowerInvariant()
		$flags = @()
		if ($valued.ContainsKey($verb)) { $flags = $valued[$verb] }
		$pos = 0
		for ($i = $vi + 1; $i -lt $count; $i++) {
			$w = $words[$i].ToLowerInvariant()
			if ($w -like '-*=*') { continue }
			if ($w -like '-*') { if ($flags -contains $w) { $i++ }; continue }
			if ($w.EndsWith('=')) { $i++; continue }
			if ($w -like '*=*' -and $options[$verb] -contains ($w.Split('=')[0] + '=')) { continue }
			$pos++
		}
		$candidates = $null
		if ($count -gt $vi + 1 -and ($prev.EndsWith('=') -or $flags -contains $prev)) {
			$candidates = @()
			if ($values.ContainsKey("$verb|$prev")) { $candidates = $values["$verb|$prev"] }
		} elseif (-not $wordToComplete.StartsWith('-')) {
			if ($values.ContainsKey("$verb|@$pos")) {
				$candidates = $values["$verb|@$pos"]
			} elseif ($pos -eq 0 -and $nameVerbs -contains $verb) {
				$candidates = @(& winsvc list --names 2>$null)
			} elseif ($pos -gt 0 -and $values.ContainsKey("$verb|@*")) {
				$candidates = $values["$verb|@*"]
			}
		}
		if ($null -eq $candidates) { $candidates = $options[$verb] }
	}
	$candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
		$text = $_
		if ($text -match '[\s''"]') { $text = "'" + ($text -replace "'", "''") + "'" }
		[System.Management.Automation.CompletionResult]::new($text, $_, 'ParameterValue', $_)
	}
}
`)
	return b.String()
}

// psList renders strings as a PowerShell list of single-quoted literals.
func psList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return strings.Join(q, ", ")
}
