package winsvc

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Service type bits of per-user services (winnt.h): a template has
// SERVICE_USER_SERVICE; the SCM creates an instance of it for each logon
// session, named <template>_<LUID>, with SERVICE_USERSERVICE_INSTANCE too.
const (
	serviceUserService         ServiceType = 0x40
	serviceUserServiceInstance ServiceType = 0x80
)

// Registry values the SCM keeps: ServiceAccountManaged holds the
// managed-account flag (services.exe reads it in ScReadServiceManagedAccount
// and writes it when the flag is changed through the SCM), and
// UserServiceFlags is documented in "Per-user services in Windows" (0 stops
// instances from being created).
const (
	regServiceAccountManaged = "ServiceAccountManaged"
	regUserServiceFlags      = "UserServiceFlags"
)

// levelManagedAccount is the QueryServiceConfig2 and ChangeServiceConfig2
// info level of the managed-account flag, the one `sc qmanagedaccount` and
// `sc managedaccount` use. winsvc.h does not name it; the SCM's RPC protocol
// ([MS-SCMR], SC_RPC_CONFIG_INFOW) defines it as arm 11, whose structure is
// SERVICE_MANAGEDACCOUNT_INFO { DWORD fIsManagedAccount; }. When reading,
// the SCM fills in a single byte; when writing, it accepts 0 and 1 only.
const levelManagedAccount uint32 = 11

// serviceValue reads a value of service name's registry key.
func (m *Manager) serviceValue(ctx context.Context, op, name, value string) (data []byte, found bool, err error) {
	err = m.use(ctx, op, name, func(c scmConn) error {
		values, err := serviceValues(c, name, value)
		data, found = values[value]
		return err
	})
	return data, found, err
}

// serviceValues reads values of service name's registry key through c.
func serviceValues(c scmConn, name string, values ...string) (map[string][]byte, error) {
	rc, ok := platform(c).(registryConn)
	if !ok {
		return nil, fmt.Errorf("registry: %w", errors.ErrUnsupported)
	}
	v, err := rc.ServiceValues(name, values...)
	return v, platformErr(err)
}

// flagSet interprets a flag stored as a REG_DWORD, REG_QWORD or REG_BINARY
// value, or returned as a BOOLEAN or a DWORD: set when any byte is not zero.
func flagSet(data []byte) bool {
	for _, b := range data {
		if b != 0 {
			return true
		}
	}
	return false
}

// UserServiceInfo describes how a service relates to per-user services
// (sc quserservice).
type UserServiceInfo struct {
	Template          bool     `json:"template"` // a template: the SCM makes an instance per logon session
	Instance          bool     `json:"instance"` // an instance of TemplateName for the session LUID (hex)
	TemplateName      string   `json:"templateName,omitempty"`
	LUID              string   `json:"luid,omitempty"`
	Instances         []string `json:"instances,omitempty"`         // a template's instances installed now
	InstancesDisabled bool     `json:"instancesDisabled,omitempty"` // UserServiceFlags is 0: no instances are made
}

// splitUserServiceName splits an instance name <template>_<LUID hex>.
func splitUserServiceName(name string) (template, luid string, ok bool) {
	i := strings.LastIndexByte(name, '_')
	if i <= 0 || i == len(name)-1 || strings.Trim(strings.ToLower(name[i+1:]), "0123456789abcdef") != "" {
		return "", "", false
	}
	return name[:i], name[i+1:], true
}

// userServiceInfo derives the information from the service's type and the
// names and types of all services.
func userServiceInfo(name string, typ ServiceType, all []Status) UserServiceInfo {
	var info UserServiceInfo
	switch {
	case typ&serviceUserServiceInstance != 0:
		info.Instance = true
		info.TemplateName, info.LUID, _ = splitUserServiceName(name)
	case typ&serviceUserService != 0:
		info.Template = true
		for _, st := range all {
			if t, _, ok := splitUserServiceName(st.Name); ok && strings.EqualFold(t, name) && st.ServiceType&serviceUserServiceInstance != 0 {
				info.Instances = append(info.Instances, st.Name)
			}
		}
	}
	return info
}

// UserServiceInfo reports whether service name is a per-user service
// template or instance, with the template's instances or the instance's
// template. It needs SERVICE_QUERY_STATUS on the service and reads the
// UserServiceFlags registry value of a template.
func (m *Manager) UserServiceInfo(ctx context.Context, name string) (UserServiceInfo, error) {
	st, err := m.status(ctx, name)
	if err != nil {
		return UserServiceInfo{}, err
	}
	var all []Status
	if st.ServiceType&serviceUserService != 0 && st.ServiceType&serviceUserServiceInstance == 0 {
		if all, err = m.QueryAll(ctx, QueryFilter{}); err != nil {
			return UserServiceInfo{}, err
		}
	}
	info := userServiceInfo(name, st.ServiceType, all)
	if info.Template {
		data, found, err := m.serviceValue(ctx, "quserservice", name, regUserServiceFlags)
		if err != nil {
			return info, err
		}
		info.InstancesDisabled = found && !flagSet(data)
	}
	return info, nil
}
