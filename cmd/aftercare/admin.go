package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"aftercare"
	"aftercare/export"
	"aftercare/httpapi"
	"aftercare/keyring"
	"aftercare/password"
	"aftercare/usecase"
	"aftercare/web"
)

const adminUsage = `usage: aftercare admin COMMAND [flags]

commands:
  create-clinic --name N [--emergency-number 999] [--notify-email E] [--webhook-url U] [--follow-up-hours 24,48,72]
                [--time-zone Europe/London]
                prints the clinic's id, and the webhook secret once when a webhook URL is set;
                --time-zone: an IANA name (default UTC), the zone of the staff pages and notices
  set-time-zone --clinic ID --time-zone America/Los_Angeles
                changes the clinic's time zone (an owner can also change it on the workspace's settings page)
  list-clinics
  create-user --clinic ID --email E --role owner|therapist
                reads the password (at least 12 characters) from standard input
  set-password --clinic ID --email E
                reads the new password from standard input; ends the user's sign-ins
  disable-user --clinic ID --email E
                the user can no longer sign in; ends their sign-ins at once
  enable-user --clinic ID --email E
  create-token --clinic ID --name N [--scopes read,write] [--expires 90d|2027-03-01]
                prints an API token once; scopes: read, write, export, erase;
                --expires: days from now (90d) or a date or time (UTC); none: never
  list-tokens --clinic ID
  revoke-token --clinic ID --id N
  audit --clinic ID [--since 2026-11-01] [--format text|csv|json]
                prints the clinic's audit log, oldest first
  new-secret-key [--id ID]
                prints a new keyring line for --secret-keys (secrets at rest are sealed with the
                first key of that file; put a new key first to rotate, keep the old ones below)

Every command takes --data DIR or --database URL as aftercare serve does
("aftercare admin COMMAND -h" lists the flags).
`

func runAdmin(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, adminUsage)
		return errUsage
	}
	name, args := args[0], args[1:]
	switch name {
	case "-h", "--help", "help":
		fmt.Fprint(e.stdout, adminUsage)
		return nil
	case "create-clinic":
		return adminCreateClinic(ctx, e, args)
	case "new-secret-key":
		return adminNewSecretKey(e, args)
	case "set-time-zone":
		return adminSetTimeZone(ctx, e, args)
	case "list-clinics":
		return adminListClinics(ctx, e, args)
	case "create-user":
		return adminCreateUser(ctx, e, args)
	case "set-password":
		return adminSetPassword(ctx, e, args)
	case "disable-user":
		return adminDisableUser(ctx, e, args, true)
	case "enable-user":
		return adminDisableUser(ctx, e, args, false)
	case "create-token":
		return adminCreateToken(ctx, e, args)
	case "list-tokens":
		return adminListTokens(ctx, e, args)
	case "revoke-token":
		return adminRevokeToken(ctx, e, args)
	case "audit":
		return adminAudit(ctx, e, args)
	}
	fmt.Fprintf(e.stderr, "aftercare: unknown admin command %q\n\n%s", name, adminUsage)
	return errUsage
}

// withStore parses the flags shared by every admin command, opens the store,
// runs fn and closes the store.
func withStore(ctx context.Context, e *env, name string, args []string, declare func(fs *adminFlags), fn func(st aftercare.Store) error) error {
	af := &adminFlags{}
	fs := newFlagSet("admin "+name, fmt.Sprintf("usage: aftercare admin %s [flags]\n\n", name), e.stderr)
	af.fs = fs
	af.store.register(fs)
	declare(af)
	if err := parseFlags(fs, args, e.getenv); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	for _, check := range af.checks {
		if err := check(); err != nil {
			if ae := (*aftercare.Error)(nil); errors.As(err, &ae) && ae.Field != "" {
				err = fmt.Errorf("%s: %s", ae.Field, ae.Message)
			}
			fmt.Fprintf(e.stderr, "aftercare: admin %s: %v\n", name, err)
			return errUsage
		}
	}
	st, err := openStore(ctx, af.store)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := fn(st); err != nil {
		return adminError(e, err)
	}
	return nil
}

// adminError prints an application error plainly (its field and message) and
// exits 1; other errors go to main's handling.
func adminError(e *env, err error) error {
	var ae *aftercare.Error
	if errors.As(err, &ae) {
		if ae.Field != "" {
			fmt.Fprintf(e.stderr, "aftercare: %s: %s\n", ae.Field, ae.Message)
		} else {
			fmt.Fprintf(e.stderr, "aftercare: %s\n", ae.Message)
		}
		return exitError{code: 1}
	}
	return err
}

// adminFlags holds an admin command's flag set and the checks of its values.
type adminFlags struct {
	fs interface {
		StringVar(p *string, name, value, usage string)
		Int64Var(p *int64, name string, value int64, usage string)
		BoolVar(p *bool, name string, value bool, usage string)
	}
	store  storeFlags
	checks []func() error
}

func (a *adminFlags) required(p *string, name, usage string) {
	a.fs.StringVar(p, name, "", usage+" (required)")
	a.checks = append(a.checks, func() error {
		*p = strings.TrimSpace(*p)
		if *p == "" {
			return fmt.Errorf("--%s is required", name)
		}
		return nil
	})
}

func (a *adminFlags) id(p *int64, name, usage string) {
	a.fs.Int64Var(p, name, 0, usage+" (required)")
	a.checks = append(a.checks, func() error {
		if *p <= 0 {
			return fmt.Errorf("--%s is required: a positive id", name)
		}
		return nil
	})
}

func (a *adminFlags) check(fn func() error) { a.checks = append(a.checks, fn) }

// flagError names the flag of an entity's validation error: the field
// "notify_email" is the flag --notify-email.
func flagError(err error) error {
	var ae *aftercare.Error
	if !errors.As(err, &ae) || ae.Field == "" {
		return err
	}
	return aftercare.Errorf(ae.Code, "--"+strings.ReplaceAll(ae.Field, "_", "-"), "%s", ae.Message)
}

func adminCreateClinic(ctx context.Context, e *env, args []string) error {
	var name, emergency, notify, webhook, hours, zone string
	var flags *adminFlags
	return withStore(ctx, e, "create-clinic", args, func(a *adminFlags) {
		flags = a
		a.required(&name, "name", "the clinic's name")
		a.fs.StringVar(&zone, "time-zone", aftercare.DefaultTimeZone, "the clinic's time zone, an IANA name such as Europe/London or America/Los_Angeles")
		a.fs.StringVar(&emergency, "emergency-number", web.DefaultEmergencyNumber, "the emergency number shown to the clinic's clients")
		a.fs.StringVar(&notify, "notify-email", "", "the address that receives flagged check-ins")
		a.fs.StringVar(&webhook, "webhook-url", "", "an http(s) URL that receives signed follow-up events")
		a.fs.StringVar(&hours, "follow-up-hours", "24,48,72", "the check-in times after each session, in hours")
		a.check(func() error {
			zone = strings.TrimSpace(zone)
			c := &aftercare.Clinic{Name: name, NotifyEmail: notify, WebhookURL: webhook, TimeZone: zone}
			if zone == "" {
				return flagError(aftercare.ValidateTimeZone("time_zone", zone))
			}
			return flagError(c.Validate())
		})
	}, func(st aftercare.Store) error {
		fh, err := parseHours(hours)
		if err != nil {
			return aftercare.Errorf(aftercare.EINVALID, "--follow-up-hours", "%v", err)
		}
		c := &aftercare.Clinic{Name: name, EmergencyNumber: emergency, FollowUpHours: fh, NotifyEmail: notify, WebhookURL: webhook, TimeZone: zone}
		if err := c.Validate(); err != nil {
			return flagError(err)
		}
		var secret string
		if webhook != "" {
			ring, err := flags.store.keyring(true)
			if err != nil {
				return err
			}
			secret, _ = aftercare.NewSecret("whsec_")
			if c.WebhookSecret, err = ring.Seal(secret, keyring.PurposeWebhookSecret); err != nil {
				return err
			}
		}
		if err := st.CreateClinic(ctx, c); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "clinic_id: %d\n", c.ID)
		if secret != "" {
			fmt.Fprintf(e.stdout, "webhook_secret: %s\n", secret)
			fmt.Fprintln(e.stderr, "aftercare: keep the webhook secret: it is shown only now")
		}
		return nil
	})
}

func adminSetTimeZone(ctx context.Context, e *env, args []string) error {
	var clinic int64
	var zone string
	return withStore(ctx, e, "set-time-zone", args, func(a *adminFlags) {
		a.id(&clinic, "clinic", "the clinic's id")
		a.required(&zone, "time-zone", "the clinic's time zone, an IANA name such as Europe/London or America/Los_Angeles")
		a.check(func() error { return flagError(aftercare.ValidateTimeZone("time_zone", zone)) })
	}, func(st aftercare.Store) error {
		if err := findClinic(ctx, st, clinic); err != nil {
			return err
		}
		name, err := usecase.SetTimeZone(ctx, usecase.ClinicStore{Store: st, ClinicID: clinic}, zone)
		if err != nil {
			return flagError(err)
		}
		if err := cliAudit(ctx, st, clinic, "set-time-zone", aftercare.AuditUpdate, fmt.Sprintf("clinic/%d/time_zone", clinic)); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "time_zone: %s\n", name)
		return nil
	})
}

// commaList returns the non-empty, trimmed items of a comma-separated list.
func commaList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// parseHours reads a comma-separated list of follow-up hours.
func parseHours(s string) ([]int, error) {
	var out []int
	for _, f := range commaList(s) {
		h, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number of hours", f)
		}
		out = append(out, h)
	}
	if len(out) == 0 {
		return nil, errors.New("give at least one follow-up time, such as 24,48,72")
	}
	return out, nil
}

func adminListClinics(ctx context.Context, e *env, args []string) error {
	return withStore(ctx, e, "list-clinics", args, func(*adminFlags) {}, func(st aftercare.Store) error {
		cs, err := st.ListClinics(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tEMERGENCY\tFOLLOW-UPS\tNOTIFY\tWEBHOOK\tTIME ZONE\tCREATED")
		for _, c := range cs {
			hs := make([]string, len(c.FollowUpHours))
			for i, h := range c.FollowUpHours {
				hs[i] = strconv.Itoa(h)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Name, dash(c.EmergencyNumber), strings.Join(hs, ","),
				dash(c.NotifyEmail), dash(c.WebhookURL), c.TimeZone, c.CreatedAt.UTC().Format(time.RFC3339))
		}
		return tw.Flush()
	})
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func adminCreateUser(ctx context.Context, e *env, args []string) error {
	var clinic int64
	var email, role string
	return withStore(ctx, e, "create-user", args, func(a *adminFlags) {
		a.id(&clinic, "clinic", "the clinic's id")
		a.required(&email, "email", "the user's email address")
		a.required(&role, "role", "owner or therapist")
		a.check(func() error {
			u := &aftercare.User{Email: email, Role: role}
			return flagError(u.Validate())
		})
	}, func(st aftercare.Store) error {
		if err := findClinic(ctx, st, clinic); err != nil {
			return err
		}
		pw, err := readPassword(e.stdin, email)
		if err != nil {
			return aftercare.Errorf(aftercare.EINVALID, "password", "%v", err)
		}
		hash, err := password.Hash(pw)
		if err != nil {
			return err
		}
		u := &aftercare.User{ClinicID: clinic, Email: email, Role: role, PasswordHash: hash}
		if err := st.CreateUser(ctx, u); err != nil {
			return err
		}
		if err := cliAudit(ctx, st, clinic, "create-user", aftercare.AuditCreate, fmt.Sprintf("user/%d", u.ID)); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "user_id: %d\n", u.ID)
		return nil
	})
}

// cliAudit writes what an admin command changed to the clinic's audit log, as
// "cli", with the command as the route.
func cliAudit(ctx context.Context, st aftercare.Store, clinicID int64, command, action, object string) error {
	return st.AppendAudit(ctx, &aftercare.AuditEntry{
		ClinicID: clinicID, At: aftercare.StoredTime(time.Now()), Actor: "cli", Action: action, Object: object,
		Outcome: aftercare.OutcomeOK, Route: "aftercare admin " + command,
	})
}

// findClinic checks that the clinic of --clinic exists.
func findClinic(ctx context.Context, st aftercare.Store, id int64) error {
	if _, err := st.FindClinic(ctx, id); err != nil {
		if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
			return aftercare.Errorf(aftercare.ENOTFOUND, "--clinic", "no clinic %d", id)
		}
		return err
	}
	return nil
}

func adminSetPassword(ctx context.Context, e *env, args []string) error {
	return withUser(ctx, e, "set-password", args, func(st aftercare.Store, clinic int64, u *aftercare.User) error {
		pw, err := readPassword(e.stdin, u.Email)
		if err != nil {
			return aftercare.Errorf(aftercare.EINVALID, "password", "%v", err)
		}
		hash, err := password.Hash(pw)
		if err != nil {
			return err
		}
		if err := st.SetPassword(ctx, clinic, u.ID, hash); err != nil {
			return err
		}
		if err := st.ClearLoginFailures(ctx, aftercare.EmailLoginKey(u.Email)); err != nil {
			return err
		}
		if err := cliAudit(ctx, st, clinic, "set-password", aftercare.AuditUpdate, fmt.Sprintf("user/%d/password", u.ID)); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "password of user %d set; their sign-ins are ended\n", u.ID)
		return nil
	})
}

// withUser runs an admin command on one user, named by --clinic and --email:
// ENOTFOUND naming the flag when there is no such clinic or user.
func withUser(ctx context.Context, e *env, name string, args []string, fn func(st aftercare.Store, clinic int64, u *aftercare.User) error) error {
	var clinic int64
	var email string
	return withStore(ctx, e, name, args, func(a *adminFlags) {
		a.id(&clinic, "clinic", "the clinic's id")
		a.required(&email, "email", "the user's email address")
	}, func(st aftercare.Store) error {
		if err := findClinic(ctx, st, clinic); err != nil {
			return err
		}
		u, err := st.FindUserByEmail(ctx, email)
		if aftercare.ErrorCode(err) == aftercare.ENOTFOUND || err == nil && u.ClinicID != clinic {
			return aftercare.Errorf(aftercare.ENOTFOUND, "--email", "no user %s in clinic %d", email, clinic)
		} else if err != nil {
			return err
		}
		return fn(st, clinic, u)
	})
}

// adminDisableUser disables a user (ending their sign-ins) or enables them again.
func adminDisableUser(ctx context.Context, e *env, args []string, disable bool) error {
	name, what, object := "enable-user", "enabled", "enabled"
	if disable {
		name, what, object = "disable-user", "disabled; their sign-ins are ended", "disabled"
	}
	return withUser(ctx, e, name, args, func(st aftercare.Store, clinic int64, u *aftercare.User) error {
		var at *time.Time
		if disable {
			now := time.Now()
			at = &now
		}
		if err := st.DisableUser(ctx, clinic, u.ID, at); err != nil {
			return err
		}
		if err := cliAudit(ctx, st, clinic, name, aftercare.AuditUpdate, fmt.Sprintf("user/%d/%s", u.ID, object)); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "user %d %s\n", u.ID, what)
		return nil
	})
}

// parseExpiry reads --expires, at time now: a number of days from now
// ("90d"), a date ("2027-03-01", midnight UTC) or an RFC 3339 time; "" is
// never. The time must be after now.
func parseExpiry(s string, now time.Time) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	const maxDays = 10 * 366
	var at time.Time
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 || n > maxDays || strings.HasPrefix(days, "+") {
			return nil, fmt.Errorf("--expires %q: a number of days must be 1 to %d, such as 90d", s, maxDays)
		}
		at = now.AddDate(0, 0, n)
	} else if t, err := time.Parse(time.DateOnly, s); err == nil {
		at = t
	} else if t, err := time.Parse(time.RFC3339, s); err == nil {
		at = t
	} else {
		return nil, fmt.Errorf("--expires %q must be a number of days such as 90d, a date such as 2027-03-01 or a time such as 2027-03-01T09:00:00Z", s)
	}
	if !at.After(now) {
		return nil, fmt.Errorf("--expires %q is not in the future", s)
	}
	at = aftercare.StoredTime(at)
	return &at, nil
}

// parseScopes reads a comma-separated list of token scopes.
func parseScopes(list string) ([]string, error) {
	var out []string
	for _, f := range commaList(list) {
		if !slices.Contains(aftercare.Scopes, f) {
			return nil, fmt.Errorf("--scopes: unknown scope %q; allowed: %s", f, strings.Join(aftercare.Scopes, ", "))
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--scopes names no scope; allowed: %s", strings.Join(aftercare.Scopes, ", "))
	}
	return out, nil
}

// readPassword reads the first line of r as the password and checks it,
// counting userInputs (the user's email) as known to an attacker.
func readPassword(r io.Reader, userInputs ...string) (string, error) {
	if r == nil {
		return "", errors.New("give the password on standard input")
	}
	line, err := bufio.NewReader(io.LimitReader(r, password.MaxLength+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the password: %v", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("give the password on standard input (one line)")
	}
	if err := password.Check(pw, userInputs...); err != nil {
		return "", err
	}
	return pw, nil
}

func adminCreateToken(ctx context.Context, e *env, args []string) error {
	var clinic int64
	var name, scopeList, expiry string
	var scopes []string
	var expires *time.Time
	return withStore(ctx, e, "create-token", args, func(a *adminFlags) {
		a.fs.StringVar(&expiry, "expires", "", "when the token stops working: days from now (90d), a date (2027-03-01) or an RFC 3339 time; none: never")
		a.check(func() (err error) {
			expires, err = parseExpiry(expiry, time.Now())
			return err
		})
		a.id(&clinic, "clinic", "the clinic's id")
		a.required(&name, "name", "a name that says who or what uses the token")
		a.fs.StringVar(&scopeList, "scopes", strings.Join(aftercare.DefaultTokenScopes, ","),
			"what the token may do, comma-separated: "+strings.Join(aftercare.Scopes, ", "))
		a.check(func() (err error) {
			scopes, err = parseScopes(scopeList)
			return err
		})
	}, func(st aftercare.Store) error {
		if err := findClinic(ctx, st, clinic); err != nil {
			return err
		}
		secret, hash := aftercare.NewSecret(httpapi.TokenPrefix)
		t := &aftercare.APIToken{ClinicID: clinic, Name: name, Hash: hash, Scopes: scopes, ExpiresAt: expires}
		if err := st.CreateToken(ctx, t); err != nil {
			return err
		}
		if err := cliAudit(ctx, st, clinic, "create-token", aftercare.AuditCreate, fmt.Sprintf("token/%d", t.ID)); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "token_id: %d\nscopes: %s\nexpires: %s\ntoken: %s\n", t.ID, strings.Join(t.Scopes, ","), expiresOrNever(t.ExpiresAt), secret)
		fmt.Fprintln(e.stderr, "aftercare: keep the token: it is shown only now")
		return nil
	})
}

func adminRevokeToken(ctx context.Context, e *env, args []string) error {
	var clinic, id int64
	return withStore(ctx, e, "revoke-token", args, func(a *adminFlags) {
		a.id(&clinic, "clinic", "the clinic's id")
		a.id(&id, "id", "the token's id")
	}, func(st aftercare.Store) error {
		if err := st.RevokeToken(ctx, clinic, id, time.Now()); err != nil {
			if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
				return aftercare.Errorf(aftercare.ENOTFOUND, "--id", "no token %d in clinic %d", id, clinic)
			}
			return err
		}
		if err := cliAudit(ctx, st, clinic, "revoke-token", aftercare.AuditUpdate, fmt.Sprintf("token/%d/revoked", id)); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "token %d revoked\n", id)
		return nil
	})
}

func adminListTokens(ctx context.Context, e *env, args []string) error {
	var clinic int64
	return withStore(ctx, e, "list-tokens", args, func(a *adminFlags) {
		a.id(&clinic, "clinic", "the clinic's id")
	}, func(st aftercare.Store) error {
		if err := findClinic(ctx, st, clinic); err != nil {
			return err
		}
		ts, err := st.ListTokens(ctx, clinic)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSCOPES\tCREATED\tLAST USED\tREVOKED\tEXPIRES")
		now := time.Now()
		for _, t := range ts {
			expires := expiresOrNever(t.ExpiresAt)
			if t.Expired(now) {
				expires += " (expired)"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, strings.Join(t.Scopes, ","),
				t.CreatedAt.UTC().Format(time.RFC3339), timeOrDash(t.LastUsedAt), timeOrDash(t.RevokedAt), expires)
		}
		return tw.Flush()
	})
}

// expiresOrNever is a token's expiry as list-tokens shows it.
func expiresOrNever(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}

func timeOrDash(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

// auditFormats are the formats aftercare admin audit prints.
var auditFormats = []string{"text", "csv", "json"}

// parseSince reads --since: a date (2026-11-01, midnight UTC) or an RFC 3339 time.
func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--since %q must be a date such as 2026-11-01 or a time such as 2026-11-01T09:00:00Z", s)
}

func adminAudit(ctx context.Context, e *env, args []string) error {
	var clinic int64
	var sinceText, format string
	var since time.Time
	var unattributed bool
	return withStore(ctx, e, "audit", args, func(a *adminFlags) {
		a.fs.Int64Var(&clinic, "clinic", 0, "the clinic's id (required unless --unattributed)")
		a.fs.BoolVar(&unattributed, "unattributed", false, "print the refused attempts tied to no clinic (no or a forged credential, a bad link) instead")
		a.check(func() error {
			switch {
			case unattributed && clinic != 0:
				return fmt.Errorf("--clinic and --unattributed exclude each other: give one")
			case !unattributed && clinic <= 0:
				return fmt.Errorf("--clinic is required: a positive id (or --unattributed)")
			}
			return nil
		})
		a.fs.StringVar(&sinceText, "since", "", "the first day (2026-11-01) or time (RFC 3339) to print; the whole log without it")
		a.fs.StringVar(&format, "format", "text", "the output: "+strings.Join(auditFormats, ", "))
		a.check(func() (err error) {
			since, err = parseSince(strings.TrimSpace(sinceText))
			return err
		})
		a.check(func() error {
			if !slices.Contains(auditFormats, format) {
				return fmt.Errorf("--format %q; allowed: %s", format, strings.Join(auditFormats, ", "))
			}
			return nil
		})
	}, func(st aftercare.Store) error {
		if !unattributed {
			if err := findClinic(ctx, st, clinic); err != nil {
				return err
			}
		}
		es, err := st.ListAudit(ctx, clinic, since)
		if err != nil {
			return err
		}
		return writeAudit(e.stdout, format, es)
	})
}

// writeAudit prints audit entries as a table, CSV (spreadsheet-safe) or JSON lines.
func writeAudit(w io.Writer, format string, es []*aftercare.AuditEntry) error {
	header := []string{"id", "at", "clinic_id", "actor", "action", "object", "client_id", "outcome", "address", "request_id", "route"}
	row := func(x *aftercare.AuditEntry) []string {
		client := ""
		if x.ClientID != 0 {
			client = strconv.FormatInt(x.ClientID, 10)
		}
		return []string{strconv.FormatInt(x.ID, 10), x.At.UTC().Format(time.RFC3339Nano), strconv.FormatInt(x.ClinicID, 10),
			x.Actor, x.Action, x.Object, client, x.Outcome, x.Address, x.RequestID, x.Route}
	}
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		for _, x := range es {
			if err := enc.Encode(x); err != nil {
				return err
			}
		}
		return nil
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write(header)
		for _, x := range es {
			cells := row(x)
			for i, c := range cells {
				cells[i] = export.SpreadsheetSafe(c)
			}
			_ = cw.Write(cells)
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(header, "\t")))
	for _, x := range es {
		cells := row(x)
		for i, c := range cells {
			cells[i] = dash(c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// adminNewSecretKey prints a new keyring line; it opens no store.
func adminNewSecretKey(e *env, args []string) error {
	fs := newFlagSet("admin new-secret-key", "usage: aftercare admin new-secret-key [--id ID]\n\n", e.stderr)
	id := fs.String("id", "k"+time.Now().UTC().Format("20060102"), "the key's id: letters, digits, '-', '_' and '.'")
	if err := parseFlags(fs, args, e.getenv); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	line, err := keyring.NewKey(*id)
	if err != nil {
		fmt.Fprintf(e.stderr, "aftercare: admin new-secret-key: --id: %v\n", err)
		return errUsage
	}
	fmt.Fprintln(e.stdout, line)
	return nil
}
