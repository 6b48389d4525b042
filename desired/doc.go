// Package desired keeps services in files: a document says how services
// should be, Export writes one from the services as they are, PlanAll shows
// what applying one would change, and ApplyAll makes the change.
//
// # The document
//
// A document is YAML or JSON. Its one key, services, lists the services:
//
//	services:
//	  - name: MySvc                      # the key name; required
//	    state: running                   # running, stopped, paused, absent, or any (the default)
//	    displayName: My Service
//	    binaryPathName: '"C:\Program Files\My App\svc.exe" --port 8080'
//	    startType: AUTO_START
//	    delayedAutoStart: true
//	    dependencies: [Tcpip, +NetworkProvider]
//	    serviceStartName: .\svcuser
//	    password: {env: MYSVC_PASSWORD}  # or {file: PATH} or {stdin: true}; never the password
//	    updatePassword: on_create        # or always
//	    description: Serves the API
//	    failureActions:
//	      resetPeriod: 86400
//	      actions: [{type: SC_ACTION_RESTART, delay: 5000}]
//	    securityDescriptor: D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)
//	    timeout: 1m                      # bounds each wait for this service's state
//
// The settings are winsvc.Definition's JSON: the names and value forms of
// `winsvc get --json` (Win32 enum names, or sc.exe's words; times in
// milliseconds, the failure reset period in seconds; binaryPathName the
// whole command line), and "tagId": true asks for a tag. A setting left
// out is left as it is (a new service gets winsvc's default); an empty
// value clears ("description": "", "dependencies": []). Beyond the
// settings:
//
//   - state: the run state. running starts a stopped service and continues
//     a paused one; paused starts one first if needed; stopped stops it
//     (refused while services that depend on it run); absent deletes it,
//     stopped first (its other keys are then ignored); any leaves it. A
//     service on its way to the state asked for (START_PENDING for running,
//     STOP_PENDING for stopped, PAUSE_PENDING for paused) is taken as in it.
//   - securityDescriptor: the service's DACL in SDDL, as `winsvc sdshow`
//     prints it. A DACL that takes full control away from SYSTEM or the
//     Administrators is refused.
//   - password: where the account's password comes from. A document never
//     holds a password: a plain value there is refused, without being
//     repeated. The caller resolves the reference (ApplyOptions.Passwords;
//     the winsvc command reads environment variables and files, and stdin
//     with --password-stdin).
//   - updatePassword: on_create (the default) sets the password when the
//     service is created or its account changes, where Windows requires one;
//     always sets it at every apply. Windows cannot read a password back, so
//     whether it changed is unknown: with always, every apply reports the
//     password as changed, which is how a new password is rolled out to an
//     unchanged account.
//   - timeout: a Go duration bounding each wait for this service (its start,
//     stop, pause, continue or deletion).
//
// An unknown key, at any level, a value a key cannot take, and a service
// given twice are refused by Parse with an *Error naming the file, the line,
// the service and the field, and listing the allowed keys or values.
//
// # Plan and apply
//
// PlanAll reads each service and reports, field by field, old -> new, what
// applying the document would change (winsvc.Service.Save's dry-run plan,
// the security descriptor, the run state), creations and deletions
// included, with services ordered dependencies first. It changes nothing.
// ApplyAll runs that plan: each service's settings through Save, which
// rolls a service back when one of its changes fails, then the run states,
// each waited for within a deadline; it reports every service as changed,
// unchanged or failed, and stops at the first failure unless told to go on.
// Applying a document twice changes nothing the second time.
//
// A setting the document sets whose value the SCM cannot report (one in
// winsvc.Config.Unavailable that the SCM accepts, such as failure actions
// under Wine; a security descriptor on an SCM that stores none) cannot be
// compared: PlanAll lists it in ServicePlan.Uncomparable, apart from the
// changes, and ApplyAll writes it once per apply and reports it in
// ServiceResult.Unverified, not as a change. Writing it, rather than
// skipping it, gives it to an SCM that keeps it without reporting it, and
// makes one that refuses it fail, as for any write.
//
// Export writes a document of services as they are, with every setting the
// SCM could read: applying it at once plans nothing.
package desired
