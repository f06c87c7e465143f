package fn

import (
	"testing"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/config"
)

// Every kind a build keeps for the function is one the function reads.
func TestInputKindsAreRead(t *testing.T) {
	versions := map[string]string{
		api.KindVMNetwork: api.APIVersion, api.KindSriovNetwork: api.SriovGroup + "/v1",
		api.KindUDN: api.OVNGroup + "/v1", api.KindCUDN: api.OVNGroup + "/v1", api.NADKind: api.NADAPIVersion,
		config.KindKubeVirt: config.KubeVirtAPIVersion, config.KindHyperConverged: config.HCOGroup + "/v1beta1",
		api.KindNamespace: "v1", api.KindPreference: api.InstancetypeGroup + "/v1beta1", api.KindClusterPref: api.InstancetypeGroup + "/v1beta1",
	}
	for _, kind := range InputKinds {
		av, ok := versions[kind]
		if !ok {
			t.Errorf("%s: no apiVersion in this test", kind)
			continue
		}
		if c, _ := classify(av, kind); c != declaration && c != nadItem && c != fact {
			t.Errorf("%s %s classifies as %d, not as an input the function reads", av, kind, c)
		}
	}
}
