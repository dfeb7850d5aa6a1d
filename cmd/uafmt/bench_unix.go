//go:build unix

package main

import "syscall"

// peakRSS returns the process's peak resident set size in bytes.
func peakRSS() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return int64(ru.Maxrss) * rssUnit
}

// freshBuffer maps n bytes of fresh anonymous memory, outside the Go heap,
// so that the floor's first pass pays for every first touch.
func freshBuffer(n int) ([]byte, func(), error) {
	b, err := syscall.Mmap(-1, 0, max(n, 1), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, nil, err
	}
	return b[:n], func() { syscall.Munmap(b) }, nil
}
