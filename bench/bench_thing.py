# A Thing with 100 Datastreams ("Reihe 0" … "Reihe 99"), as JSON for POST /sta/v1.1/Things: what
# the write benchmarks (single_writes.sh, cluster_bench.sh) send their readings to.
import json

ds = [{"name": "Reihe %d" % i, "description": "d", "unitOfMeasurement": {"name": "Prozent", "symbol": "%"},
       "observationType": "OM_Measurement",
       "Sensor": {"name": "s", "description": "d", "encodingType": "text/html", "metadata": "m"},
       "ObservedProperty": {"name": "p", "definition": "d", "description": "d"}} for i in range(100)]
print(json.dumps({"name": "Bench", "description": "d", "Locations": [{"name": "l", "description": "d",
      "encodingType": "application/geo+json", "location": {"type": "Point", "coordinates": [7.2, 51.5]}}],
      "Datastreams": ds}))
