package formatter

import (
	"syscall"
	"unsafe"
)

// madvPopulateWrite is Linux's MADV_POPULATE_WRITE (5.14 and later): fault
// a range in, writable, in one call, as writing to each page would.
const madvPopulateWrite = 23

// populate makes the pages of b (fresh memory from make) resident, so
// that writing b later takes no page faults. A page fault costs far more
// than the rest of the work on some virtual machines; one madvise call
// for the whole range costs much less than faulting each page. Where the
// call is not available the pages are touched one by one.
func populate(b []byte) {
	const page = 4096
	if len(b) < 2*page {
		return
	}
	off := int(-uintptr(unsafe.Pointer(unsafe.SliceData(b))) & (page - 1))
	end := off + (len(b)-off)&^(page-1)
	if syscall.Madvise(b[off:end], madvPopulateWrite) == nil {
		return
	}
	touch(b)
}
