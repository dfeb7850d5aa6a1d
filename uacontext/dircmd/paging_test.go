package dircmd_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/gjson"
	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// pagingCatalog records the .bvfs_lsfiles queries.
type pagingCatalog struct {
	dircmd.Catalog
	queries []dircmd.BvfsQuery
}

func (c *pagingCatalog) BvfsLsFiles(ctx context.Context, q dircmd.BvfsQuery) ([]dircmd.BvfsEntry, error) {
	c.queries = append(c.queries, q)
	return c.Catalog.BvfsLsFiles(ctx, q)
}

// TestBvfsLsFilesPages: a large .bvfs_lsfiles asks the catalog a page at
// a time (so that it never holds the whole listing besides the answer)
// and answers exactly what one query for everything gives.
func TestBvfsLsFilesPages(t *testing.T) {
	cat := &pagingCatalog{Catalog: sample}
	table := newTable(cat)
	do := func(line string) string {
		rec := &recorder{}
		ua := uacontext.NewUA(rec, uacontext.Options{Table: table})
		ua.SetMode(apimode.JSON)
		ua.Execute(context.Background(), line)
		return rec.data()
	}
	got := do(".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/ limit=10000 offset=7")
	var pages []int64
	for _, q := range cat.queries {
		pages = append(pages, q.Offset, q.Limit)
	}
	// 2500 files from offset 7: a full page of 4096 is not reached.
	if diff := cmp.Diff([]int64{7, 4096}, pages); diff != "" {
		t.Errorf("queries (offset, limit) (-want +got):\n%s", diff)
	}
	if n := len(gjson.Get(got, "result.files").Array()); n != 2493 {
		t.Errorf("%d files, want 2493", n)
	}

}

// TestBvfsLsFilesPageBoundaries checks the page loop against a catalog
// that serves 10,000 synthetic entries: limits below, at and above the
// page size, and offsets, answer the same rows as one query would.
func TestBvfsLsFilesPageBoundaries(t *testing.T) {
	const total = 10_000
	cat := &syntheticCatalog{Catalog: sample, n: total}
	table := newTable(cat)
	for _, tt := range []struct{ limit, offset, want int }{
		{4096, 0, 4096}, {4097, 0, 4097}, {8192, 0, 8192}, {total, 0, total}, {20000, 0, total},
		{5000, 9000, 1000}, {3, 4095, 3}, {0, 0, 0},
	} {
		rec := &recorder{}
		ua := uacontext.NewUA(rec, uacontext.Options{Table: table})
		ua.SetMode(apimode.JSON)
		ua.Execute(context.Background(), ".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/ limit="+strconv.Itoa(tt.limit)+" offset="+strconv.Itoa(tt.offset))
		ids := gjson.Get(rec.data(), "result.files.#.fileid").Array()
		if len(ids) != tt.want {
			t.Errorf("limit=%d offset=%d: %d files, want %d", tt.limit, tt.offset, len(ids), tt.want)
			continue
		}
		for i, id := range ids {
			if id.Int() != int64(tt.offset+i+1) {
				t.Errorf("limit=%d offset=%d: file %d has id %d", tt.limit, tt.offset, i, id.Int())
				break
			}
		}
	}
}

// syntheticCatalog serves n files with ids 1..n in any directory.
type syntheticCatalog struct {
	dircmd.Catalog
	n int
}

func (c *syntheticCatalog) BvfsLsFiles(ctx context.Context, q dircmd.BvfsQuery) ([]dircmd.BvfsEntry, error) {
	if q.Limit < 0 || q.Offset < 0 {
		return nil, errors.New("bad query")
	}
	var out []dircmd.BvfsEntry
	for i := q.Offset; i < int64(c.n) && int64(len(out)) < q.Limit; i++ {
		out = append(out, dircmd.BvfsEntry{Type: 'F', PathID: q.PathID, FileID: uint64(i + 1), JobID: 1, Name: "f" + strconv.FormatInt(i, 10), HasAttr: true})
	}
	return out, nil
}
