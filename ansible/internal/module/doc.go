// Package module implements the winsvc.windows Ansible collection's modules,
// winsvc.windows.service and winsvc.windows.service_info, as binary modules:
// Windows programs that Ansible runs with the path of a JSON arguments file
// as their only argument, and that print one JSON result on stdout.
//
// The files split by concept:
//
//	protocol.go  the binary module protocol: the arguments file, the result, exit
//	spec.go      option specifications and their parsing (types, aliases, choices)
//	options.go   the service module's options (ansible.windows.win_service's, and more)
//	mapping.go   those options as a service of a desired-state document
//	view.go      a service as win_service and win_service_info show it
//	service.go   the service module: plan (check mode) or apply, through package desired
//	info.go      the info module
//	failure.go   errors as Ansible failures: msg and the Win32 code
//
// The service module has no plan or apply of its own: it builds a document
// of package desired (every setting through winsvc.Definition's JSON) and
// runs desired.PlanAll or desired.ApplyAll on it. The password is a module
// option; it never appears in a result, a diff or an error.
package module
