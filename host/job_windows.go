package host

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// job is a Windows job object holding the program and every process it
// starts (processes inherit their parent's job). It is created with
// JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: when its last handle closes, the
// host's included (even if the host itself dies), every process in it
// ends, so no process of the program outlives the host.
type job struct{ h windows.Handle }

func newJob() (*job, error) {
	h, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return nil, fmt.Errorf("CreateJobObject: %w", err)
	}
	info := windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION{}
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	if _, err := windows.SetInformationJobObject(h, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(h)
		return nil, fmt.Errorf("SetInformationJobObject(KILL_ON_JOB_CLOSE): %w", err)
	}
	return &job{h: h}, nil
}

// assign puts the process pid in the job.
func (j *job) assign(pid uint32) error {
	p, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, pid)
	if err != nil {
		return fmt.Errorf("OpenProcess(%d): %w", pid, err)
	}
	defer windows.CloseHandle(p)
	if err := windows.AssignProcessToJobObject(j.h, p); err != nil {
		return fmt.Errorf("AssignProcessToJobObject: %w", err)
	}
	return nil
}

// maxJobPids bounds the process list read from the job.
const maxJobPids = 4096

// pids lists the processes in the job (at most maxJobPids).
func (j *job) pids() ([]uint32, error) {
	// JOBOBJECT_BASIC_PROCESS_ID_LIST: two DWORDs, then ULONG_PTRs.
	buf := make([]uintptr, 1+maxJobPids)
	if err := windows.QueryInformationJobObject(j.h, windows.JobObjectBasicProcessIdList,
		uintptr(unsafe.Pointer(&buf[0])), uint32(len(buf))*uint32(unsafe.Sizeof(buf[0])), nil); err != nil && err != windows.ERROR_MORE_DATA {
		return nil, fmt.Errorf("QueryInformationJobObject(BasicProcessIdList): %w", err)
	}
	n := min(int(uint32(buf[0]>>32)), maxJobPids) // NumberOfProcessIdsInList
	pids := make([]uint32, n)
	for i := range n {
		pids[i] = uint32(buf[1+i])
	}
	return pids, nil
}

// terminate ends every process in the job.
func (j *job) terminate(code uint32) error {
	if err := windows.TerminateJobObject(j.h, code); err != nil {
		return fmt.Errorf("TerminateJobObject: %w", err)
	}
	return nil
}

// close closes the job's handle, which ends what is left in it.
func (j *job) close() { windows.CloseHandle(j.h) }
