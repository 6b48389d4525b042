package access_test

import (
	"fmt"

	"github.com/winsvc/winsvc/access"
)

// Let the built-in Users group start and stop a service: read its DACL,
// grant the rights, and write it back (Service.SetSecurityDescriptor).
func ExampleGrantRights() {
	current := "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)"
	next, err := access.GrantRights(current, `BUILTIN\Users`, access.RightsStartStop)
	if err != nil {
		panic(err)
	}
	fmt.Println(next)
	// Output:
	// D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)(A;;RPWP;;;BU)
}

// Render who may do what with a service.
func ExampleSDDL_Describe() {
	d, err := access.Parse("D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;GA;;;BA)(D;;WP;;;WD)(A;;RPLC;;;AU)")
	if err != nil {
		panic(err)
	}
	fmt.Print(d.Describe())
	// Output:
	// SY (NT AUTHORITY\SYSTEM): allow query config, query status, enumerate dependents, start, stop, pause/continue, interrogate, user control, read control
	// BA (BUILTIN\Administrators): allow full control
	// WD (Everyone): allow none; deny stop
	// AU (NT AUTHORITY\Authenticated Users): allow query status, start
}

// The SID Windows gives a service, as sc showsid prints it.
func ExampleServiceSID() {
	fmt.Println(access.VirtualAccount("TrustedInstaller"), access.ServiceSID("TrustedInstaller"))
	// Output:
	// NT SERVICE\TrustedInstaller S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464
}
