package catalogtest_test

import (
	"context"
	"iter"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/uaformat/uaformat/uacontext/dircmd"
	"github.com/uaformat/uaformat/uacontext/dircmd/catalogtest"
	"github.com/uaformat/uaformat/uacontext/dircmd/memcatalog"
)

// seed builds a memcatalog holding the fixture.
func seed(t *testing.T, f catalogtest.Fixture) *memcatalog.Catalog {
	c := memcatalog.New(memcatalog.Resources{
		Jobs: f.JobResources, Clients: f.ClientResources, Pools: f.PoolResources,
		Storages: f.StorageResources, FileSets: f.FileSetResources, Schedules: f.ScheduleResources,
		Catalogs: f.CatalogResources, Messages: f.MessageResources,
	})
	for _, j := range f.Jobs {
		if _, err := c.AddJob(j); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < len(f.Files); {
		// One call per run of entries of the same job, in backup order.
		var batch []memcatalog.File
		id := f.Files[i].JobID
		for ; i < len(f.Files) && f.Files[i].JobID == id; i++ {
			e := f.Files[i]
			batch = append(batch, memcatalog.File{Name: e.Name, LStat: e.LStat, MD5: e.MD5, Deleted: e.Deleted})
		}
		if err := c.AddFiles(id, batch); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range f.Media {
		if _, err := c.AddMedia(m); err != nil {
			t.Fatal(err)
		}
	}
	for _, jm := range f.JobMedia {
		if err := c.AddJobMedia(jm.JobID, jm.Volume); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// Broken catalogs, each with one mistake the suite must find.
type (
	noNotFound    struct{ *memcatalog.Catalog }
	ignoresOffset struct{ *memcatalog.Catalog }
	ignoresCancel struct{ *memcatalog.Catalog }
	ignoresStop   struct{ *memcatalog.Catalog }
)

func (c noNotFound) JobByID(ctx context.Context, id uint64) (dircmd.Job, error) {
	j, _ := c.Catalog.JobByID(ctx, id)
	return j, nil
}

func (c ignoresOffset) BvfsLsFiles(ctx context.Context, q dircmd.BvfsQuery) iter.Seq2[dircmd.BvfsEntry, error] {
	q.Offset = 0
	return c.Catalog.BvfsLsFiles(ctx, q)
}

func (c ignoresCancel) BvfsLsFiles(_ context.Context, q dircmd.BvfsQuery) iter.Seq2[dircmd.BvfsEntry, error] {
	return c.Catalog.BvfsLsFiles(context.Background(), q)
}

func (c ignoresStop) BvfsLsFiles(ctx context.Context, q dircmd.BvfsQuery) iter.Seq2[dircmd.BvfsEntry, error] {
	return func(yield func(dircmd.BvfsEntry, error) bool) {
		for e, err := range c.Catalog.BvfsLsFiles(ctx, q) {
			yield(e, err) // goes on after the consumer stopped
		}
	}
}

var broken = map[string]func(*memcatalog.Catalog) dircmd.Catalog{
	"noNotFound":    func(c *memcatalog.Catalog) dircmd.Catalog { return noNotFound{c} },
	"ignoresOffset": func(c *memcatalog.Catalog) dircmd.Catalog { return ignoresOffset{c} },
	"ignoresCancel": func(c *memcatalog.Catalog) dircmd.Catalog { return ignoresCancel{c} },
	"ignoresStop":   func(c *memcatalog.Catalog) dircmd.Catalog { return ignoresStop{c} },
}

// TestBrokenCatalog is run by TestSuiteFindsMistakes in a process of its
// own, on the broken catalog named by $CATALOGTEST_BROKEN; it must fail.
func TestBrokenCatalog(t *testing.T) {
	wrap := broken[os.Getenv("CATALOGTEST_BROKEN")]
	if wrap == nil {
		t.Skip("run by TestSuiteFindsMistakes")
	}
	catalogtest.Run(t, func(t *testing.T, f catalogtest.Fixture) dircmd.Catalog { return wrap(seed(t, f)) })
}

// TestSuiteFindsMistakes checks that each broken catalog fails the suite
// with a message about its mistake.
func TestSuiteFindsMistakes(t *testing.T) {
	want := map[string]struct{ subtest, msg string }{
		"noNotFound":    {"JobRecords", "want one wrapping dircmd.ErrNotFound"},
		"ignoresOffset": {"Bvfs", "last page"},
		"ignoresCancel": {"Bvfs", "want ctx's error"},
		"ignoresStop":   {"Bvfs", "continued iteration"},
	}
	for name, w := range want {
		t.Run(name, func(t *testing.T) {
			msg := w.msg
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenCatalog$/^"+w.subtest+"$", "-test.v")
			cmd.Env = append(os.Environ(), "CATALOGTEST_BROKEN="+name)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed a catalog that is %s:\n%s", name, out)
			}
			if !strings.Contains(string(out), msg) {
				t.Errorf("the suite failed without %q:\n%s", msg, out)
			}
		})
	}
}

func TestMemcatalogPasses(t *testing.T) {
	catalogtest.Run(t, func(t *testing.T, f catalogtest.Fixture) dircmd.Catalog { return seed(t, f) })
}
