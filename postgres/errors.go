package postgres

import "aftercare"

func notFound(what string) error {
	return aftercare.Errorf(aftercare.ENOTFOUND, "", "%s not found", what)
}
