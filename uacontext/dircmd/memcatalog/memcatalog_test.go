package memcatalog_test

import (
	"testing"

	"github.com/uaformat/uaformat/uacontext/dircmd"
	"github.com/uaformat/uaformat/uacontext/dircmd/catalogtest"
	"github.com/uaformat/uaformat/uacontext/dircmd/memcatalog"
)

// seed builds a catalog holding the conformance fixture.
func seed(t *testing.T, f catalogtest.Fixture) dircmd.Catalog {
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
	files := map[uint64][]memcatalog.File{}
	var order []uint64
	for _, e := range f.Files {
		if files[e.JobID] == nil {
			order = append(order, e.JobID)
		}
		files[e.JobID] = append(files[e.JobID], memcatalog.File{Name: e.Name, LStat: e.LStat, MD5: e.MD5, Deleted: e.Deleted})
	}
	for _, id := range order {
		if err := c.AddFiles(id, files[id]); err != nil {
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

func TestConformance(t *testing.T) {
	catalogtest.Run(t, seed)
}
