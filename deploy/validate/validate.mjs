// Validate Kubernetes objects (a YAML stream on stdin, e.g. `kustomize build`) against the
// schemas shipped in kubernetes-models and its KEDA / Prometheus-operator CRD packages.
// Prints one line per object; exits 1 if any object is invalid or of an unknown kind.
import { parseAllDocuments } from "yaml";
import { ConfigMap, Service } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

const MODELS = {
  "v1/ConfigMap": ConfigMap,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "keda.sh/v1alpha1/ScaledObject": ScaledObject,
  "monitoring.coreos.com/v1/PodMonitor": PodMonitor,
};

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
let failed = 0;
for (const doc of parseAllDocuments(Buffer.concat(chunks).toString("utf8"))) {
  const obj = doc.toJS();
  if (!obj) continue;
  const key = `${obj.apiVersion}/${obj.kind}`;
  const Model = MODELS[key];
  if (!Model) {
    console.log(`FAIL ${key} ${obj.metadata?.name}: no schema for this kind`);
    failed++;
    continue;
  }
  try {
    new Model(obj).validate();
    console.log(`ok   ${key} ${obj.metadata?.name}`);
  } catch (err) {
    console.log(`FAIL ${key} ${obj.metadata?.name}: ${err.message}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
