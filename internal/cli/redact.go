package cli

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/valerr"
)

// The redaction rule. An argument whose option name looks like a password
// carries a secret, in every spelling the parser knows and in the mistaken
// ones: sc's "key= value" and "key=value", and the flag forms
// "--key=value", "--key value", "-key=value" and "-key value". Its value is
// a secret whatever the verb, even one without such an option. Every line
// winsvc writes on stderr (errors in text and JSON, warnings, notes and
// progress) goes through redactor.text, so no path can print such a value;
// the password read from stdin or the environment is added when it is read.
// So is the value of a variable of the hosted program's environment named
// like a secret (--env API_TOKEN=...), wherever it is on the command line.

// redactedText replaces a secret in output.
const redactedText = "***"

// secretWords mark an option name (case-insensitively, anywhere in it) as
// one whose value is a secret.
var secretWords = []string{"password", "passwd", "passphrase", "pwd", "secret"}

// secretKey reports whether option name key (without dashes or "=") names a
// secret.
func secretKey(key string) bool {
	k := strings.ToLower(key)
	if k == "pw" || k == "pass" {
		return true
	}
	for _, w := range secretWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// isSwitch reports whether key names an option of some verb of cmds that
// takes no value (--password-stdin): the argument after it is not its value.
func isSwitch(cmds *table, key string) bool {
	for _, c := range cmds.list() {
		for _, o := range c.allOptions() {
			if o.bool && o.matches(key) {
				return true
			}
		}
	}
	return false
}

// redactor hides secrets in output.
type redactor struct {
	secrets []string
}

// newRedactor returns a redactor for the secrets the redaction rule finds
// on command line args, whose verbs are those of cmds.
func newRedactor(cmds *table, args []string) *redactor {
	r := &redactor{}
	for i, a := range args {
		r.addEnvSecrets(a)
		key, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !secretKey(key) {
			continue
		}
		flag := strings.HasPrefix(a, "-")
		switch {
		case hasVal && val != "":
			r.add(val)
		case (hasVal || flag && !isSwitch(cmds, key)) && i+1 < len(args):
			r.add(args[i+1]) // "key= value", "--key value"
		}
	}
	return r
}

// addEnvSecrets makes a secret of the value of each NAME=VALUE in a
// whose name is a secret variable's (winsvc.SecretEnvName: API_TOKEN=...,
// given to --env, as --env=API_TOKEN=..., or on its own by mistake).
func (r *redactor) addEnvSecrets(a string) {
	for s := a; ; {
		name, val, ok := strings.Cut(strings.TrimLeft(s, "-"), "=")
		if !ok {
			return
		}
		if val != "" && winsvc.SecretEnvName(name) {
			r.add(val)
		}
		s = val
	}
}

// add makes s a secret. Blank strings are not: hiding every space would
// hide nothing worth hiding and garble the message.
func (r *redactor) add(s string) {
	if r == nil || strings.TrimSpace(s) == "" || slices.Contains(r.secrets, s) {
		return
	}
	forms := []string{s}
	if q := strconv.Quote(s); q[1:len(q)-1] != s {
		forms = append(forms, q[1:len(q)-1]) // as %q prints it, cut short as valerr.Quote does
	}
	r.secrets = append(r.secrets, forms...)
	// Longest first, so that a secret containing another is hidden whole.
	sort.SliceStable(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// text returns s with every secret replaced by "***", and every part of
// one that an error shows cut short.
func (r *redactor) text(s string) string {
	if r == nil {
		return s
	}
	for _, secret := range r.secrets {
		s = replaceWhole(s, secret)
	}
	return r.replaceCut(s)
}

// replaceCut replaces what s shows of a secret cut short: an error shows a
// long value it repeats as its first characters and "…"
// (valerr.Shorten), which may follow other text ("--pwd=hunter…"), so
// the longest start of a secret that ends right before a "…" is hidden.
// A cut shows at most a few hundred bytes of a value: longer starts are
// not looked for.
func (r *redactor) replaceCut(s string) string {
	const ellipsis = "…"
	var b strings.Builder
	done := 0
	for i := 0; ; {
		j := strings.Index(s[i:], ellipsis)
		if j < 0 {
			break
		}
		end := i + j
		start := end
		for _, secret := range r.secrets {
			if k := startBefore(s[done:end], secret); k > 0 && end-k < start {
				start = end - k
			}
		}
		if start < end {
			b.WriteString(s[done:start])
			b.WriteString(redactedText)
			done = end
		}
		i = end + len(ellipsis)
	}
	b.WriteString(s[done:])
	return b.String()
}

// startBefore returns the length of the longest start of secret that text
// ends with (at most maxCut bytes), 0 when there is none or when it
// continues a word of text.
func startBefore(text, secret string) int {
	const maxCut = 4 * valerr.MaxShown * 2
	for k := min(len(text), len(secret), maxCut); k > 0; k-- {
		if !strings.HasSuffix(text, secret[:k]) {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(text[:len(text)-k])
		first, _ := utf8.DecodeRuneInString(secret)
		if len(text) > k && wordRune(before) && wordRune(first) {
			return 0
		}
		return k
	}
	return 0
}

// replaceWhole replaces the occurrences of secret in s that are not part of
// a longer word: a secret "a" is hidden in "--pwd=a" but "password" stays
// readable. An occurrence is part of a word when a letter or digit touches
// a letter or digit at its edge.
func replaceWhole(s, secret string) string {
	var b strings.Builder
	from, done := 0, 0 // where the search goes on; what is copied
	for {
		j := strings.Index(s[from:], secret)
		if j < 0 {
			break
		}
		i, end := from+j, from+j+len(secret)
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[end:])
		first, n := utf8.DecodeRuneInString(secret)
		last, _ := utf8.DecodeLastRuneInString(secret)
		if (i > 0 && wordRune(before) && wordRune(first)) || (end < len(s) && wordRune(after) && wordRune(last)) {
			from = i + n
			continue
		}
		b.WriteString(s[done:i])
		b.WriteString(redactedText)
		done, from = end, end
	}
	b.WriteString(s[done:])
	return b.String()
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
