package winsvc

import (
	"context"
	"errors"
)

// probeMarked reports whether the service is marked for deletion. It asks
// the SCM for a ChangeServiceConfig that changes nothing: the SCM answers
// ERROR_SERVICE_MARKED_FOR_DELETE (1072) for a service marked for
// deletion before it looks at the arguments, on Windows and on Wine. Every
// argument is SERVICE_NO_CHANGE or NULL, except on an SCM that deletes the
// dependencies on a NULL (quirks.NullDependenciesClear): there the
// dependencies are read first and sent back as they are, and when they
// cannot be read nothing is sent and the answer is an error, never a
// change. h needs SERVICE_CHANGE_CONFIG (and SERVICE_QUERY_CONFIG under
// that quirk).
func probeMarked(ctx context.Context, conn scmConn, h serviceConn, name string) (bool, error) {
	cc := &coreChange{}
	if conn.quirks().NullDependenciesClear {
		c, err := readCore(ctx, conn, h, name)
		if err != nil {
			return false, err
		}
		if err := c.unavailableDependencies(); err != nil {
			return false, err
		}
		cc.Dependencies = c.Dependencies
	}
	err := h.changeConfig(cc)
	if errors.Is(err, ErrMarkedForDelete) {
		return true, nil
	}
	return false, err
}

// probeMarkedAccess is the access probeMarked needs on its handle.
func probeMarkedAccess(q quirks) uint32 {
	if q.NullDependenciesClear {
		return accessChangeConfig | accessQueryConfig
	}
	return accessChangeConfig
}

// startUnlessMarked starts the service, as Restart does once it has
// stopped it. A service marked for deletion goes once it is stopped, and
// Windows refuses to start it (1072) until then; on an SCM that would start
// it again (quirks.StartsMarked), it is asked first whether it is marked,
// so that a restart of it fails there as on Windows.
func (s *Service) startUnlessMarked(ctx context.Context, opts []ControlOption) error {
	if q := s.m.quirks(); q.StartsMarked {
		marked := false
		err := s.m.withServiceConn(ctx, "restart", s.name, probeMarkedAccess(q), func(c scmConn, h serviceConn) error {
			var err error
			marked, err = probeMarked(ctx, c, h, s.name)
			return err
		})
		switch {
		case marked:
			return ErrMarkedForDelete
		case err != nil:
			return err
		}
	}
	return s.Start(ctx, opts...)
}
