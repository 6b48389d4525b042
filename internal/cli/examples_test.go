package cli

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// shellCommands splits a command line the way the shells the examples are
// written for (cmd.exe, PowerShell, POSIX shells) would, for the parts the
// examples use: words, "double" and 'single' quotes (backslashes are
// literal, as in Windows paths), and the operators | < > ; && || and #,
// which end a command. It returns the commands of the line.
func shellCommands(line string) [][]string {
	var cmds [][]string
	var words []string
	var word strings.Builder
	inWord := false
	endWord := func() {
		if inWord {
			words = append(words, word.String())
			word.Reset()
			inWord = false
		}
	}
	endCmd := func() {
		endWord()
		if len(words) > 0 {
			cmds = append(cmds, words)
		}
		words = nil
	}
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '"' || c == '\'':
			j := strings.IndexByte(line[i+1:], c)
			if j < 0 {
				j = len(line) - i - 1
			}
			word.WriteString(line[i+1 : i+1+j])
			inWord = true
			i += j + 1
		case c == ' ' || c == '\t':
			endWord()
		case strings.IndexByte("|<>;&", c) >= 0 || c == '#' && !inWord:
			endCmd()
			if c == '#' {
				return cmds
			}
			if c == '>' || c == '<' { // the file name is not a command
				for i+1 < len(line) && (line[i+1] == '>' || line[i+1] == ' ') {
					i++
				}
				for i+1 < len(line) && line[i+1] != ' ' && strings.IndexByte("|;&", line[i+1]) < 0 {
					i++
				}
			}
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	endCmd()
	return cmds
}

func TestShellCommands(t *testing.T) {
	got := shellCommands(`Get-Content pw.txt | winsvc config "My Svc" obj= .\u --x "" 'a b' > out.txt; echo x # c`)
	want := [][]string{{"Get-Content", "pw.txt"}, {"winsvc", "config", "My Svc", "obj=", `.\u`, "--x", "", "a b"}, {"echo", "x"}}
	if len(got) != len(want) || strings.Join(got[1], "|") != strings.Join(want[1], "|") || strings.Join(got[2], "|") != strings.Join(want[2], "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

// checkExample parses every winsvc command of an example line.
func checkExample(t *testing.T, where, line string) int {
	t.Helper()
	n := 0
	for _, words := range shellCommands(line) {
		if words[0] != "winsvc" {
			continue
		}
		n++
		if _, err := parseLine(words[1:]); err != nil {
			t.Errorf("%s: %q does not parse: %v", where, line, err)
		}
	}
	return n
}

// TestHelpExamplesParse: every example in the verbs' help is a command line
// winsvc accepts.
func TestHelpExamplesParse(t *testing.T) {
	for _, c := range sortedCommands() {
		for _, ex := range c.examples {
			if checkExample(t, "help "+c.name, ex) == 0 {
				t.Errorf("help %s: example %q runs no winsvc command", c.name, ex)
			}
		}
	}
}

// TestREADMEExamplesParse: every winsvc command in README.md's code blocks
// parses, and the PowerShell blocks use no "<" redirection (PowerShell
// rejects it).
func TestREADMEExamplesParse(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	lang, inBlock, n := "", false, 0
	for i, line := range strings.Split(string(b), "\n") {
		if fence, ok := strings.CutPrefix(strings.TrimSpace(line), "```"); ok {
			inBlock, lang = !inBlock, fence
			continue
		}
		if !inBlock {
			continue
		}
		where := "README.md:" + strconv.Itoa(i+1)
		n += checkExample(t, where, line)
		if lang == "powershell" {
			for _, cmd := range shellCommands(strings.ReplaceAll(line, "<", " LT ")) {
				for _, w := range cmd {
					if w == "LT" {
						t.Errorf("%s: PowerShell has no < redirection: %q", where, line)
					}
				}
			}
		}
	}
	if n < 10 {
		t.Errorf("found only %d winsvc commands in README.md", n)
	}
}
