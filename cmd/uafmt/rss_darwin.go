package main

const rssUnit = 1 // ru_maxrss is in bytes on macOS
