package cli

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// This file finds what a mistyped verb, option or value was probably meant
// to be, for the "did you mean" of usage errors.

// maxSuggestLen bounds the words compared: the distance costs their
// lengths' product, and a longer word is no typo of a short one.
const maxSuggestLen = 64

// suggest returns the candidates closest to s, case-insensitively: those at
// the smallest edit distance (insertions, deletions, substitutions and
// swaps of two neighbours), when that distance is small for s's length, or
// else those that s begins (desc -> description) when there are few. The
// candidates keep their order; none is returned twice.
func suggest(s string, candidates []string) []string {
	word := strings.ToLower(s)
	n := utf8.RuneCountInString(word)
	if n == 0 || n > maxSuggestLen {
		return nil
	}
	limit := min(1+n/5, 3) // one typo in a short word, two from 5 letters, three from 10
	best, out := limit+1, []string(nil)
	seen := map[string]bool{}
	for _, c := range candidates {
		key := strings.ToLower(c)
		if seen[key] || utf8.RuneCountInString(key) > maxSuggestLen {
			continue
		}
		seen[key] = true
		switch d := distance(word, key); {
		case d > limit, d >= utf8.RuneCountInString(key): // not close; or every letter changes
		case d < best:
			best, out = d, []string{c}
		case d == best:
			out = append(out, c)
		}
	}
	if len(out) > 0 || n < 3 {
		return out
	}
	for _, c := range candidates {
		if key := strings.ToLower(c); strings.HasPrefix(key, word) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	if len(out) > 3 {
		return nil // too short to tell
	}
	return out
}

// didYouMean is " (did you mean X?)", or "X or Y?", for the closest
// candidates to s; "" when none is close.
func didYouMean(s string, candidates []string) string {
	m := suggest(s, candidates)
	if len(m) == 0 {
		return ""
	}
	return " (did you mean " + orList(m) + "?)"
}

// orList joins words as "a", "a or b", "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// distance is the optimal string alignment distance between a and b: the
// edits (insert, delete, substitute a rune, swap two neighbours) that turn
// one into the other.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows: the one two back is needed for a swap.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
