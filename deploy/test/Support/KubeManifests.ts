// Effect Schemas of the Kubernetes objects under deploy/k8s, limited to the fields the deployment relies
// on (and that the checks read), and a loader that decodes every document of every manifest file.
import { Either, ParseResult, Schema } from 'effect';
import { parseAllDocuments } from 'yaml';
import { filesUnder, readRepoFile } from './RepoFiles.js';

const Labels = Schema.Record({ key: Schema.String, value: Schema.String });
const Metadata = Schema.Struct({ name: Schema.String, namespace: Schema.optional(Schema.String), labels: Schema.optional(Labels) });
const Selector = Schema.Struct({ matchLabels: Labels });
/** A port by number or by the container port's name. */
const PortRef = Schema.Union(Schema.Int, Schema.String);

const SecretKeyRef = Schema.Struct({ name: Schema.String, key: Schema.String, optional: Schema.optional(Schema.Boolean) });
export const EnvVar = Schema.Struct({
  name: Schema.String.pipe(Schema.pattern(/^[A-Z][A-Z0-9_]*$/)),
  value: Schema.optional(Schema.String),
  valueFrom: Schema.optional(Schema.Struct({ secretKeyRef: SecretKeyRef })),
}).pipe(Schema.filter((e) => (e.value === undefined) !== (e.valueFrom === undefined) || `${e.name}: exactly one of value and valueFrom`));
export type EnvVar = typeof EnvVar.Type;

const EnvFrom = Schema.Struct({
  configMapRef: Schema.optional(Schema.Struct({ name: Schema.String })),
  secretRef: Schema.optional(Schema.Struct({ name: Schema.String })),
});

const Probe = Schema.Struct({
  httpGet: Schema.Struct({ path: Schema.String, port: PortRef }),
  periodSeconds: Schema.Int.pipe(Schema.positive()),
  failureThreshold: Schema.optional(Schema.Int.pipe(Schema.positive())),
  timeoutSeconds: Schema.optional(Schema.Int.pipe(Schema.positive())),
});

const Quantity = Schema.String.pipe(Schema.pattern(/^\d+(\.\d+)?(m|Mi|Gi)?$/));
const Resources = Schema.Struct({
  requests: Schema.Struct({ cpu: Quantity, memory: Quantity }),
  limits: Schema.Struct({ cpu: Schema.optional(Quantity), memory: Quantity }),
});

/** Non-root, read-only root filesystem, no privilege escalation, every capability dropped. */
const ContainerSecurity = Schema.Struct({
  allowPrivilegeEscalation: Schema.Literal(false),
  readOnlyRootFilesystem: Schema.Literal(true),
  capabilities: Schema.Struct({ drop: Schema.Tuple(Schema.Literal('ALL')) }),
});

export const Container = Schema.Struct({
  name: Schema.String,
  image: Schema.String,
  command: Schema.optional(Schema.Array(Schema.String)),
  ports: Schema.Array(Schema.Struct({ name: Schema.String, containerPort: Schema.Int, protocol: Schema.optional(Schema.Literal('TCP')) })),
  envFrom: Schema.optional(Schema.Array(EnvFrom)),
  env: Schema.Array(EnvVar),
  startupProbe: Probe,
  readinessProbe: Probe,
  livenessProbe: Probe,
  lifecycle: Schema.optional(Schema.Struct({ preStop: Schema.Struct({ exec: Schema.Struct({ command: Schema.Array(Schema.String) }) }) })),
  resources: Resources,
  securityContext: ContainerSecurity,
});
export type Container = typeof Container.Type;

export const Deployment = Schema.Struct({
  apiVersion: Schema.Literal('apps/v1'),
  kind: Schema.Literal('Deployment'),
  metadata: Metadata,
  spec: Schema.Struct({
    replicas: Schema.Int.pipe(Schema.positive()),
    selector: Selector,
    template: Schema.Struct({
      metadata: Schema.Struct({ labels: Labels }),
      spec: Schema.Struct({
        terminationGracePeriodSeconds: Schema.Int.pipe(Schema.positive()),
        securityContext: Schema.Struct({
          runAsNonRoot: Schema.Literal(true),
          runAsUser: Schema.Int.pipe(Schema.positive()),
          seccompProfile: Schema.Struct({ type: Schema.Literal('RuntimeDefault') }),
        }),
        containers: Schema.NonEmptyArray(Container),
      }),
    }),
  }),
});
export type Deployment = typeof Deployment.Type;

export const Service = Schema.Struct({
  apiVersion: Schema.Literal('v1'),
  kind: Schema.Literal('Service'),
  metadata: Metadata,
  spec: Schema.Struct({
    selector: Labels,
    ports: Schema.NonEmptyArray(Schema.Struct({ name: Schema.String, port: Schema.Int, targetPort: PortRef })),
  }),
});
export type Service = typeof Service.Type;

export const HorizontalPodAutoscaler = Schema.Struct({
  apiVersion: Schema.Literal('autoscaling/v2'),
  kind: Schema.Literal('HorizontalPodAutoscaler'),
  metadata: Metadata,
  spec: Schema.Struct({
    scaleTargetRef: Schema.Struct({ apiVersion: Schema.String, kind: Schema.String, name: Schema.String }),
    minReplicas: Schema.optional(Schema.Int.pipe(Schema.positive())),
    maxReplicas: Schema.Int.pipe(Schema.positive()),
  }),
});
export type HorizontalPodAutoscaler = typeof HorizontalPodAutoscaler.Type;

export const PodDisruptionBudget = Schema.Struct({
  apiVersion: Schema.Literal('policy/v1'),
  kind: Schema.Literal('PodDisruptionBudget'),
  metadata: Metadata,
  spec: Schema.Struct({ selector: Selector, minAvailable: Schema.optional(Schema.Int), maxUnavailable: Schema.optional(Schema.Int) }),
});
export type PodDisruptionBudget = typeof PodDisruptionBudget.Type;

export const ConfigMap = Schema.Struct({
  apiVersion: Schema.Literal('v1'),
  kind: Schema.Literal('ConfigMap'),
  metadata: Metadata,
  data: Schema.Record({ key: Schema.String, value: Schema.String }),
});
export type ConfigMap = typeof ConfigMap.Type;

export const Secret = Schema.Struct({
  apiVersion: Schema.Literal('v1'),
  kind: Schema.Literal('Secret'),
  metadata: Metadata,
  type: Schema.Literal('Opaque'),
  stringData: Schema.Record({ key: Schema.String, value: Schema.String }),
});
export type Secret = typeof Secret.Type;

export const Namespace = Schema.Struct({ apiVersion: Schema.Literal('v1'), kind: Schema.Literal('Namespace'), metadata: Metadata });

/** A patch in an overlay: the same kind, named, any subset of fields. */
export const Patch = Schema.Struct({ apiVersion: Schema.String, kind: Schema.String, metadata: Schema.Struct({ name: Schema.String }) });

export const Kustomization = Schema.Struct({
  apiVersion: Schema.Literal('kustomize.config.k8s.io/v1beta1'),
  kind: Schema.Literal('Kustomization'),
  namespace: Schema.optional(Schema.String),
  resources: Schema.Array(Schema.String),
  images: Schema.optional(Schema.Array(Schema.Struct({ name: Schema.String, newName: Schema.String, newTag: Schema.String }))),
  replicas: Schema.optional(Schema.Array(Schema.Struct({ name: Schema.String, count: Schema.Int }))),
  patches: Schema.optional(Schema.Array(Schema.Struct({ path: Schema.String }))),
});
export type Kustomization = typeof Kustomization.Type;

/** Every kind the base may contain, by its one accepted apiVersion. */
export const KnownKinds = {
  Namespace: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  PodDisruptionBudget: 'policy/v1',
} as const;

export const Manifest = Schema.Union(Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget, ConfigMap, Secret, Namespace);
export type Manifest = typeof Manifest.Type;

const TypeMeta = Schema.Struct({
  apiVersion: Schema.String,
  kind: Schema.Literal('Namespace', 'ConfigMap', 'Secret', 'Service', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'),
});

/** Decodes by kind, so a broken Deployment reports the Deployment schema's complaint, not a union's. */
export const decodeManifest = (doc: unknown, where: string): Manifest => {
  const { kind } = decodeWith(TypeMeta, doc, `${where}: a known kind`);
  const at = `${where} (${kind})`;
  switch (kind) {
    case 'Namespace':
      return decodeWith(Namespace, doc, at);
    case 'ConfigMap':
      return decodeWith(ConfigMap, doc, at);
    case 'Secret':
      return decodeWith(Secret, doc, at);
    case 'Service':
      return decodeWith(Service, doc, at);
    case 'Deployment':
      return decodeWith(Deployment, doc, at);
    case 'HorizontalPodAutoscaler':
      return decodeWith(HorizontalPodAutoscaler, doc, at);
    case 'PodDisruptionBudget':
      return decodeWith(PodDisruptionBudget, doc, at);
    default: {
      const never: never = kind;
      throw new Error(`unhandled kind ${String(never)}`);
    }
  }
};

export const decodeWith = <A, I>(schema: Schema.Schema<A, I>, value: unknown, where: string): A => {
  const decoded = Schema.decodeUnknownEither(schema)(value);
  if (Either.isLeft(decoded)) throw new Error(`${where}: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`);
  return decoded.right;
};

/** Every YAML document of a file, parsed (one file may hold several, separated by `---`). */
export const yamlDocuments = (text: string): ReadonlyArray<unknown> =>
  parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('; '));
    return doc.toJS();
  });

export interface LoadedManifest {
  readonly file: string;
  readonly manifest: Manifest;
}

/** The manifests of a folder's kustomization, each decoded with the schema of its kind. */
export const loadManifests = (folder: string, files: ReadonlyArray<string>): ReadonlyArray<LoadedManifest> =>
  files.flatMap((name) => {
    const file = `${folder}/${name}`;
    return yamlDocuments(readRepoFile(file)).map((doc) => ({ file, manifest: decodeManifest(doc, file) }));
  });

/** Every .yaml file under deploy/k8s (relative paths). */
export const k8sYamlFiles = () => filesUnder('deploy/k8s').filter((f) => f.endsWith('.yaml'));
