package dircmd

import (
	"context"
	"strconv"
	"strings"

	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd/resource"
)

// dotDefaults is ".defaults job=|client=|storage=|pool=": the settings a
// resource gives a new job (the web UI fills its run and restore forms
// with them). An unknown or forbidden name gives an empty object.
func (c *cmds) dotDefaults(_ context.Context, ua *uacontext.UA) error {
	f := ua.Formatter()
	kv := func(key, value string) { f.KVString(key, "%s=", value, "%s\n") }
	kn := func(key string, value uint64) { f.KVUint(key, "%s=", value, "%d\n") }
	f.ObjectStart("defaults", null)
	switch {
	case ua.FindArgWithValue("job") >= 0:
		name, _ := ua.ArgValue("job")
		job := c.findResource(ua, resource.Job, name)
		if job == nil {
			break
		}
		orNone := func(s string) string {
			if s == "" {
				return "*None*"
			}
			return s
		}
		// The Director sends every line as its own packet (for BAT).
		kv("job", job.Name())
		f.SendBuffer()
		kv("pool", job.String("Pool"))
		f.SendBuffer()
		kv("messages", job.String("Messages"))
		f.SendBuffer()
		client := job.String("Client")
		kv("client", orNone(client))
		f.SendBuffer()
		kv("storage", orNone(c.jobStorage(job)))
		f.SendBuffer()
		kv("where", job.String("Where"))
		if job.String("Type") == "Restore" {
			f.SendBuffer()
			kv("replace", job.String("Replace"))
		}
		f.SendBuffer()
		kv("level", job.String("Level"))
		f.SendBuffer()
		kv("type", job.String("Type"))
		f.SendBuffer()
		kv("fileset", orNone(job.String("FileSet")))
		f.SendBuffer()
		kn("enabled", boolUint(job.Bool("Enabled")))
		f.SendBuffer()
		catalog := "*None*"
		if client != "" {
			catalog = c.resourceValue(resource.Client, client, "Catalog")
		}
		kv("catalog", catalog)
		f.SendBuffer()
	case ua.FindArgWithValue("client") >= 0:
		name, _ := ua.ArgValue("client")
		cl := c.findResource(ua, resource.Client, name)
		if cl == nil {
			break
		}
		kv("client", cl.Name())
		kv("address", cl.String("Address"))
		kn("port", uint64(cl.Int("Port")))
		kv("file_retention", strconv.FormatInt(cl.Int("FileRetention"), 10))
		kv("job_retention", strconv.FormatInt(cl.Int("JobRetention"), 10))
		kn("autoprune", boolUint(cl.Bool("AutoPrune")))
		kn("enabled", boolUint(cl.Bool("Enabled")))
		kv("catalog", cl.String("Catalog"))
	case ua.FindArgWithValue("storage") >= 0:
		name, _ := ua.ArgValue("storage")
		st := c.findResource(ua, resource.Storage, name)
		if st == nil {
			break
		}
		kv("storage", st.Name())
		kv("address", st.String("Address"))
		kn("port", uint64(st.Int("Port")))
		kn("enabled", boolUint(st.Bool("Enabled")))
		kv("media_type", st.String("MediaType"))
		kv("device", strings.Join(st.List("Device"), ","))
	case ua.FindArgWithValue("pool") >= 0:
		name, _ := ua.ArgValue("pool")
		p := c.findResource(ua, resource.Pool, name)
		if p == nil {
			break
		}
		kv("pool", p.Name())
		kv("pool_type", p.String("PoolType"))
		kv("label_format", p.String("LabelFormat"))
		// sic: the Director's key has the '=' in it.
		kn("purge_oldest_volume=", boolUint(p.Bool("PurgeOldestVolume")))
		kn("recycle_oldest_volume", boolUint(p.Bool("RecycleOldestVolume")))
		kn("max_volumes", uint64(p.Int("MaximumVolumes")))
		kv("vol_retention", strconv.FormatInt(p.Int("VolumeRetention"), 10))
		kv("vol_use_duration", strconv.FormatInt(p.Int("VolumeUseDuration"), 10))
		kn("max_vol_jobs", uint64(p.Int("MaximumVolumeJobs")))
		kn("max_vol_files", uint64(p.Int("MaximumVolumeFiles")))
		kv("max_vol_bytes", strconv.FormatInt(p.Int("MaximumVolumeBytes"), 10))
		kn("auto_prune", boolUint(p.Bool("AutoPrune")))
		kn("recycle", boolUint(p.Bool("Recycle")))
		kv("file_retention", strconv.FormatInt(p.Int("FileRetention"), 10))
		kv("job_retention", strconv.FormatInt(p.Int("JobRetention"), 10))
	default:
		ua.SendMsg(".defaults command requires a parameter.\n")
		return uacontext.ErrReported
	}
	f.ObjectEnd("defaults", null)
	return nil
}

func boolUint(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// jobStorage is the storage a job writes to: its own first storage, else
// the first storage of its pool.
func (c *cmds) jobStorage(job *resource.Resource) string {
	if l := job.List("Storage"); len(l) > 0 {
		return l[0]
	}
	if l := c.resourceList(resource.Pool, job.String("Pool"), "Storage"); len(l) > 0 {
		return l[0]
	}
	return ""
}

// resource returns the configured resource of type t called name (no
// ACL check).
func (c *cmds) resource(t resource.Type, name string) *resource.Resource {
	for _, r := range c.configResources(t) {
		if r.Name() == name {
			return r
		}
	}
	return nil
}

func (c *cmds) resourceValue(t resource.Type, name, directive string) string {
	if r := c.resource(t, name); r != nil {
		return r.String(directive)
	}
	return ""
}

func (c *cmds) resourceList(t resource.Type, name, directive string) []string {
	if r := c.resource(t, name); r != nil {
		return r.List(directive)
	}
	return nil
}
