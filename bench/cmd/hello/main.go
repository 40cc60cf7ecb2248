// Command hello is the ceiling of the HTTP benchmark: a hello-world net/http
// server, configured as aftercare serve configures its own (the same
// http.Server timeouts and header limit), that answers POST
// /api/v1/assessments by reading the body and writing a short JSON object,
// and GET /readyz with 200. It prints "hello: serving on http://ADDR" to
// standard error once it listens.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "the address to listen on")
	flag.Parse()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/assessments", func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"hello":"world"}`+"\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	// The same settings as aftercare serve's server (cmd/aftercare/serve.go).
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	fmt.Fprintf(os.Stderr, "hello: serving on http://%s\n", ln.Addr())
	log.Fatal(srv.Serve(ln))
}
