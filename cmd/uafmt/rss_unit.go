//go:build unix && !darwin

package main

const rssUnit = 1024 // ru_maxrss is in kilobytes
