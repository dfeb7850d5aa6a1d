package tlspsk

import (
	"fmt"
	"strconv"
)

// Alert is a TLS alert description (RFC 8446 6, RFC 4279 2).
type Alert uint8

// The alerts this package sends or interprets.
const (
	AlertCloseNotify           Alert = 0
	AlertUnexpectedMessage     Alert = 10
	AlertBadRecordMAC          Alert = 20
	AlertRecordOverflow        Alert = 22
	AlertHandshakeFailure      Alert = 40
	AlertIllegalParameter      Alert = 47
	AlertDecodeError           Alert = 50
	AlertDecryptError          Alert = 51
	AlertProtocolVersion       Alert = 70
	AlertInsufficientSecurity  Alert = 71
	AlertInternalError         Alert = 80
	AlertInappropriateFallback Alert = 86
	AlertUserCanceled          Alert = 90
	AlertNoRenegotiation       Alert = 100
	AlertMissingExtension      Alert = 109
	AlertUnsupportedExtension  Alert = 110
	AlertUnknownPSKIdentity    Alert = 115
)

var alertNames = map[Alert]string{
	AlertCloseNotify:           "close notify",
	AlertUnexpectedMessage:     "unexpected message",
	AlertBadRecordMAC:          "bad record mac",
	21:                         "decryption failed",
	AlertRecordOverflow:        "record overflow",
	30:                         "decompression failure",
	AlertHandshakeFailure:      "handshake failure",
	42:                         "bad certificate",
	43:                         "unsupported certificate",
	44:                         "certificate revoked",
	45:                         "certificate expired",
	46:                         "certificate unknown",
	AlertIllegalParameter:      "illegal parameter",
	48:                         "unknown ca",
	49:                         "access denied",
	AlertDecodeError:           "decode error",
	AlertDecryptError:          "decrypt error",
	AlertProtocolVersion:       "protocol version",
	AlertInsufficientSecurity:  "insufficient security",
	AlertInternalError:         "internal error",
	AlertInappropriateFallback: "inappropriate fallback",
	AlertUserCanceled:          "user canceled",
	AlertNoRenegotiation:       "no renegotiation",
	AlertMissingExtension:      "missing extension",
	AlertUnsupportedExtension:  "unsupported extension",
	112:                        "unrecognized name",
	AlertUnknownPSKIdentity:    "unknown psk identity",
	116:                        "certificate required",
	120:                        "no application protocol",
}

// String returns the alert's name, as in "decrypt error".
func (a Alert) String() string {
	if s, ok := alertNames[a]; ok {
		return s
	}
	return "alert(" + strconv.Itoa(int(a)) + ")"
}

// AlertError is the error of a connection that a TLS alert ended: one the
// peer sent (Remote), or one this side sent because of Err.
type AlertError struct {
	Alert  Alert
	Remote bool  // received from the peer
	Err    error // why this side sent the alert; nil when Remote
}

// Error describes the alert and, for a local one, its cause.
func (e *AlertError) Error() string {
	if e.Remote {
		return "tlspsk: remote error: " + e.Alert.String()
	}
	if e.Err == nil {
		return "tlspsk: " + e.Alert.String()
	}
	return "tlspsk: " + e.Err.Error() + " (alert: " + e.Alert.String() + ")"
}

// Unwrap returns the local cause.
func (e *AlertError) Unwrap() error { return e.Err }

// alertf makes the error of a protocol violation that ends the connection
// with alert a.
func alertf(a Alert, format string, args ...any) *AlertError {
	return &AlertError{Alert: a, Err: fmt.Errorf(format, args...)}
}
