package web

import (
	"fmt"
	"strings"

	qr "github.com/piglig/go-qr"
)

// qrCode is a QR code of a client's link, drawn as inline SVG so that the
// therapist can show it to the client on the spot.
type qrCode struct {
	// Size is the width of the code in modules, with its quiet zone.
	Size int
	// Path draws the dark modules, one rectangle per run of a row.
	Path string
}

// qrBorder is the quiet zone around the code, in modules (the standard asks for 4).
const qrBorder = 4

// newQRCode encodes text (medium error correction); nil when it cannot be encoded.
func newQRCode(text string) *qrCode {
	code, err := qr.EncodeText(text, qr.Medium)
	if err != nil {
		return nil
	}
	n := code.Size()
	var b strings.Builder
	for y := 0; y < n; y++ {
		for x := 0; x < n; {
			if !code.Module(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < n && code.Module(x+run, y) {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+qrBorder, y+qrBorder, run, run)
			x += run
		}
	}
	return &qrCode{Size: n + 2*qrBorder, Path: b.String()}
}
