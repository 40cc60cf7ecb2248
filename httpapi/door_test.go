package httpapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// storeUsers are the only functions of the package that may reach the store
// without an aftercare.Access: they resolve credentials, sign staff in and
// out, write audit entries of callers tied to no clinic, open client links
// (usecase.OpenLink audits them), check readiness, and make the Access itself.
var storeUsers = []string{
	"audit", "clinic", "crossOriginRefused", "login", "loginFailed", "logout", "openLink", "readyz", "reserveLogin",
	"sessionPrincipal", "tokenPrincipal",
}

// TestOnlyTheDoorsTouchTheStore reads the package's source: a clinic route
// reaches the store only through the aftercare.Access it is handed, so a new
// handler that reads s.store fails this test.
func TestOnlyTheDoorsTouchTheStore(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var users []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "store" {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "s" {
					if !slices.Contains(users, fn.Name.Name) {
						users = append(users, fn.Name.Name)
					}
					if !slices.Contains(storeUsers, fn.Name.Name) {
						t.Errorf("%s: %s reaches s.store; a clinic route must use the aftercare.Access it is handed", fset.Position(sel.Pos()), fn.Name.Name)
					}
				}
				return true
			})
		}
	}
	if len(users) == 0 {
		t.Fatal("no function reaches the store: the test reads nothing")
	}
}
