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

// Registry values the SCM keeps for settings that have no documented API:
// ServiceAccountManaged (read by services.exe's ScReadServiceManagedAccount;
// what `sc managedaccount` sets) and UserServiceFlags (documented in "Per-user
// services in Windows": 0 stops instances from being created).
const (
	regServiceAccountManaged = "ServiceAccountManaged"
	regUserServiceFlags      = "UserServiceFlags"
)

// registryConn is implemented by SCM connections that can read values of a
// service's registry key (HKLM\SYSTEM\CurrentControlSet\Services\<name>),
// on the SCM's machine. It is kept apart from scmConn so that fakes need not
// implement it.
type registryConn interface {
	// serviceValue returns the raw data of value, and false when the value
	// does not exist.
	serviceValue(service, value string) ([]byte, bool, error)
}

// serviceValue reads a value of service name's registry key.
func (m *Manager) serviceValue(op, name, value string) (data []byte, found bool, err error) {
	err = m.use(op, name, func(c scmConn) error {
		rc, ok := c.(registryConn)
		if !ok {
			return fmt.Errorf("registry: %w", errors.ErrUnsupported)
		}
		data, found, err = rc.serviceValue(name, value)
		return err
	})
	return data, found, err
}

// registryFlag interprets a REG_DWORD, REG_QWORD or REG_BINARY flag: set
// when any byte is not zero.
func registryFlag(data []byte) bool {
	for _, b := range data {
		if b != 0 {
			return true
		}
	}
	return false
}

// ManagedAccount reports whether the service's account is marked as one
// whose password Windows manages (sc qmanagedaccount). Windows documents no
// API for this setting: it is the ServiceAccountManaged value of the
// service's registry key, which this reads (false when absent). It needs
// read access to that key, which ordinary users have.
func (s *Service) ManagedAccount(ctx context.Context) (bool, error) {
	data, _, err := s.m.serviceValue("qmanagedaccount", s.name, regServiceAccountManaged)
	return registryFlag(data), err
}

// UserServiceInfo describes how a service relates to per-user services
// (sc quserservice).
type UserServiceInfo struct {
	// Template is set for a per-user service template: the SCM creates an
	// instance of it in each logon session.
	Template bool `json:"template"`
	// Instance is set for such an instance; TemplateName and LUID are then
	// the template's name and the logon session's LUID suffix (hex).
	Instance     bool   `json:"instance"`
	TemplateName string `json:"templateName,omitempty"`
	LUID         string `json:"luid,omitempty"`
	// Instances lists, for a template, the instances installed now.
	Instances []string `json:"instances,omitempty"`
	// InstancesDisabled is set for a template whose UserServiceFlags
	// registry value is 0: Windows creates no instances of it.
	InstancesDisabled bool `json:"instancesDisabled,omitempty"`
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
	st, err := m.Status(ctx, name)
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
		data, found, err := m.serviceValue("quserservice", name, regUserServiceFlags)
		if err != nil {
			return info, err
		}
		info.InstancesDisabled = found && !registryFlag(data)
	}
	return info, nil
}
