package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"aftercare"
	"aftercare/password"
	"aftercare/web"
)

const adminUsage = `usage: aftercare admin COMMAND [flags]

commands:
  create-clinic --name N [--emergency-number 999] [--notify-email E] [--webhook-url U] [--follow-up-hours 24,48,72]
                prints the clinic's id, and the webhook secret once when a webhook URL is set
  list-clinics
  create-user --clinic ID --email E --role owner|therapist
                reads the password (at least 12 characters) from standard input
  create-token --clinic ID --name N
                prints an API token once
  revoke-token --clinic ID --id N

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
	case "list-clinics":
		return adminListClinics(ctx, e, args)
	case "create-user":
		return adminCreateUser(ctx, e, args)
	case "create-token":
		return adminCreateToken(ctx, e, args)
	case "revoke-token":
		return adminRevokeToken(ctx, e, args)
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

func adminCreateClinic(ctx context.Context, e *env, args []string) error {
	var name, emergency, notify, webhook, hours string
	return withStore(ctx, e, "create-clinic", args, func(a *adminFlags) {
		a.required(&name, "name", "the clinic's name")
		a.fs.StringVar(&emergency, "emergency-number", web.DefaultEmergencyNumber, "the emergency number shown to the clinic's clients")
		a.fs.StringVar(&notify, "notify-email", "", "the address that receives flagged check-ins")
		a.fs.StringVar(&webhook, "webhook-url", "", "an http(s) URL that receives signed follow-up events")
		a.fs.StringVar(&hours, "follow-up-hours", "24,48,72", "the check-in times after each session, in hours")
		a.check(func() error {
			if notify == "" {
				return nil
			}
			if addr, err := mail.ParseAddress(notify); err != nil || addr.Address != notify {
				return fmt.Errorf("--notify-email %q is not one email address", notify)
			}
			return nil
		})
		a.check(func() error {
			if webhook == "" {
				return nil
			}
			u, err := url.Parse(webhook)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Errorf("--webhook-url %q must be an absolute http or https URL", webhook)
			}
			return nil
		})
	}, func(st aftercare.Store) error {
		fh, err := parseHours(hours)
		if err != nil {
			return aftercare.Errorf(aftercare.EINVALID, "--follow-up-hours", "%v", err)
		}
		c := &aftercare.Clinic{Name: name, EmergencyNumber: emergency, FollowUpHours: fh, NotifyEmail: notify, WebhookURL: webhook}
		var secret string
		if webhook != "" {
			secret, _ = aftercare.NewSecret("whsec_")
			c.WebhookSecret = secret
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

// parseHours reads a comma-separated list of follow-up hours.
func parseHours(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
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
		fmt.Fprintln(tw, "ID\tNAME\tEMERGENCY\tFOLLOW-UPS\tNOTIFY\tWEBHOOK\tCREATED")
		for _, c := range cs {
			hs := make([]string, len(c.FollowUpHours))
			for i, h := range c.FollowUpHours {
				hs[i] = strconv.Itoa(h)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Name, dash(c.EmergencyNumber), strings.Join(hs, ","),
				dash(c.NotifyEmail), dash(c.WebhookURL), c.CreatedAt.UTC().Format(time.RFC3339))
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
			if role != aftercare.RoleOwner && role != aftercare.RoleTherapist {
				return fmt.Errorf("--role %q; allowed: %s, %s", role, aftercare.RoleOwner, aftercare.RoleTherapist)
			}
			return nil
		})
		a.check(func() error {
			if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
				return fmt.Errorf("--email %q is not one email address", email)
			}
			return nil
		})
	}, func(st aftercare.Store) error {
		if _, err := st.FindClinic(ctx, clinic); err != nil {
			if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
				return aftercare.Errorf(aftercare.ENOTFOUND, "--clinic", "no clinic %d", clinic)
			}
			return err
		}
		pw, err := readPassword(e.stdin)
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
		fmt.Fprintf(e.stdout, "user_id: %d\n", u.ID)
		return nil
	})
}

// readPassword reads the first line of r as the password.
func readPassword(r io.Reader) (string, error) {
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
	if err := password.Check(pw); err != nil {
		return "", err
	}
	return pw, nil
}

func adminCreateToken(ctx context.Context, e *env, args []string) error {
	var clinic int64
	var name string
	return withStore(ctx, e, "create-token", args, func(a *adminFlags) {
		a.id(&clinic, "clinic", "the clinic's id")
		a.required(&name, "name", "a name that says who or what uses the token")
	}, func(st aftercare.Store) error {
		if _, err := st.FindClinic(ctx, clinic); err != nil {
			if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
				return aftercare.Errorf(aftercare.ENOTFOUND, "--clinic", "no clinic %d", clinic)
			}
			return err
		}
		secret, hash := aftercare.NewSecret("act_")
		t := &aftercare.APIToken{ClinicID: clinic, Name: name, Hash: hash}
		if err := st.CreateToken(ctx, t); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "token_id: %d\ntoken: %s\n", t.ID, secret)
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
		fmt.Fprintf(e.stdout, "token %d revoked\n", id)
		return nil
	})
}
