package host

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// process is one run of the program, in its own job object and console.
type process struct {
	cmd     *exec.Cmd
	job     *job
	pid     uint32
	started time.Time
	done    chan struct{} // closed when the program's main process exits
	code    uint32        // its exit code, once done
	copies  sync.WaitGroup
}

// startProcess starts the program suspended, puts it in a new job object,
// then lets it run, so that no process it starts escapes the job. Its
// output goes to stdout and stderr (nil discards; the same writer for both
// is one handle or one pipe, so their order is kept): an output file that
// is never rotated is given to the program itself, which appends to it
// as it would to a file of its own (no copy, as fast as writing the file
// directly); any other writer gets a pipe that the host copies to it. It
// has a console of its own without a window (CREATE_NO_WINDOW), which the
// stop's console control events are sent to.
func startProcess(p *Program, stdout, stderr io.Writer) (_ *process, err error) {
	pr := &process{done: make(chan struct{})}
	cmd := exec.Command(p.Path, p.Args...)
	cmd.Dir = p.Dir
	cmd.Env = append(os.Environ(), p.Env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_SUSPENDED | windows.CREATE_NO_WINDOW}
	var parentEnds []*os.File // the pipes' write ends, closed once the program holds them
	defer func() {
		for _, f := range parentEnds {
			f.Close()
		}
	}()
	pipe := func(w io.Writer) (*os.File, error) {
		if w == nil {
			return nil, nil
		}
		if f := directFile(w); f != nil {
			return f, nil
		}
		r, wf, err := outputPipe()
		if err != nil {
			return nil, err
		}
		parentEnds = append(parentEnds, wf)
		pr.copies.Add(1)
		go func() {
			defer pr.copies.Done()
			defer r.Close()
			io.CopyBuffer(w, struct{ io.Reader }{r}, make([]byte, pipeBuffer))
		}()
		return wf, nil
	}
	outPipe, err := pipe(stdout)
	if err != nil {
		return nil, err
	}
	errPipe := outPipe
	if stderr != stdout {
		if errPipe, err = pipe(stderr); err != nil {
			return nil, err
		}
	}
	if outPipe != nil {
		cmd.Stdout = outPipe
	}
	if errPipe != nil {
		cmd.Stderr = errPipe
	}
	if pr.job, err = newJob(); err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		pr.job.close()
		return nil, err
	}
	pr.cmd, pr.pid = cmd, uint32(cmd.Process.Pid)
	// The program runs only once it is in the job: a failure to put it
	// there, or to resume it, ends it.
	err = pr.job.assign(pr.pid)
	if err == nil {
		err = resumeProcess(pr.pid)
	}
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		pr.job.close()
		return nil, err
	}
	pr.started = time.Now()
	go func() {
		cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok {
			pr.code = ws.ExitCode
		}
		close(pr.done)
	}()
	return pr, nil
}

// directFile returns the file of w when the program can write it itself:
// an output file with no rotation (the host need not see the output to
// rotate it); nil otherwise. The file is open for appending, and stays
// open for the program's next run; the program gets its own handle to it.
func directFile(w io.Writer) *os.File {
	r, ok := w.(*rotator)
	if !ok || r.r.Bytes > 0 || r.r.Age > 0 {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.f
}

// pipeBuffer is the size asked for the output pipes' buffer, and of the
// reads that copy them to the files: a program that writes a lot blocks
// less often, and each copy moves more per system call (under Wine, each
// read of a pipe is a round trip to the wineserver). Larger buffers cost
// the idle host their size in private bytes and made no difference under
// Wine (BenchmarkHost).
const pipeBuffer = 64 << 10

// outputPipe is a pipe for the program's output, with a buffer of
// pipeBuffer.
func outputPipe() (r, w *os.File, err error) {
	var rh, wh windows.Handle
	if err := windows.CreatePipe(&rh, &wh, nil, pipeBuffer); err != nil {
		return nil, nil, os.NewSyscallError("CreatePipe", err)
	}
	return os.NewFile(uintptr(rh), "|0"), os.NewFile(uintptr(wh), "|1"), nil
}

// resumeProcess resumes the suspended process pid: NtResumeProcess, one
// call, or where it fails, each of its threads found with a Toolhelp
// snapshot (its main thread: it has no other yet).
func resumeProcess(pid uint32) error {
	if h, err := windows.OpenProcess(windows.PROCESS_SUSPEND_RESUME, false, pid); err == nil {
		r, _, _ := procNtResumeProcess.Call(uintptr(h))
		windows.CloseHandle(h)
		if r == 0 {
			return nil
		}
	}
	return resumeThreads(pid)
}

var procNtResumeProcess = windows.NewLazySystemDLL("ntdll.dll").NewProc("NtResumeProcess")

// resumeThreads resumes each thread of process pid.
func resumeThreads(pid uint32) error {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPTHREAD, 0)
	if err != nil {
		return fmt.Errorf("CreateToolhelp32Snapshot: %w", err)
	}
	defer windows.CloseHandle(snap)
	te := windows.ThreadEntry32{Size: uint32(unsafe.Sizeof(windows.ThreadEntry32{}))}
	resumed := 0
	for err = windows.Thread32First(snap, &te); err == nil; err = windows.Thread32Next(snap, &te) {
		if te.OwnerProcessID != pid {
			continue
		}
		th, err := windows.OpenThread(windows.THREAD_SUSPEND_RESUME, false, te.ThreadID)
		if err != nil {
			return fmt.Errorf("OpenThread: %w", err)
		}
		_, err = windows.ResumeThread(th)
		windows.CloseHandle(th)
		if err != nil {
			return fmt.Errorf("ResumeThread: %w", err)
		}
		resumed++
	}
	if resumed == 0 {
		return errors.New("resume: no thread of the process found")
	}
	return nil
}

// endTree ends every process left in the program's job (the children
// that outlive it), waits (a bounded time) for its output to be written,
// and closes the job.
func (pr *process) endTree() {
	pr.job.terminate(1)
	copied := make(chan struct{})
	go func() { pr.copies.Wait(); close(copied) }()
	select {
	case <-copied:
	case <-time.After(5 * time.Second):
	}
	pr.job.close()
}
