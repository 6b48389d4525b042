package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"time"
)

// Reading a log's end in bounded memory: logs reads at most maxTailBytes
// from the end of a file for its last lines, and follows it in chunks of
// tailChunk.
const (
	maxTailBytes = 1 << 20
	tailChunk    = 64 << 10
)

// lastLines returns the last n lines of f (n <= 0: none) and the offset
// where the file ended, reading no more than maxTailBytes.
func lastLines(f *os.File, n int) ([]byte, int64, error) {
	end, err := f.Seek(0, io.SeekEnd)
	if err != nil || n <= 0 {
		return nil, end, err
	}
	start := max(end-maxTailBytes, 0)
	buf := make([]byte, end-start)
	if _, err := f.ReadAt(buf, start); err != nil && err != io.EOF {
		return nil, end, err
	}
	cut := len(buf)
	if cut > 0 && buf[cut-1] == '\n' {
		cut--
	}
	for i := 0; i < n; i++ {
		j := bytes.LastIndexByte(buf[:cut], '\n')
		if j < 0 {
			if start > 0 { // the line began before what was read: drop its part
				return buf[min(len(buf), bytes.IndexByte(buf, '\n')+1):], end, nil
			}
			return buf, end, nil
		}
		cut = j
	}
	return buf[cut+1:], end, nil
}

// follow copies to w what is appended to path after offset, polling every
// interval until ctx ends. A file that became shorter (rotated: a new file
// under the name) is read from its start.
func follow(ctx context.Context, path string, offset int64, interval time.Duration, w io.Writer, flush func()) error {
	buf := make([]byte, tailChunk)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		f, err := os.Open(path)
		if err == nil {
			if fi, serr := f.Stat(); serr == nil && fi.Size() < offset {
				offset = 0
			}
			for {
				n, rerr := f.ReadAt(buf, offset)
				if n > 0 {
					if _, werr := w.Write(buf[:n]); werr != nil {
						f.Close()
						return werr
					}
					offset += int64(n)
				}
				if rerr != nil || n < len(buf) {
					break
				}
			}
			f.Close()
			flush()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
