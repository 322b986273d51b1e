import csv, json, os, glob
ROOT = os.environ.get('NEUSIGHT_DIR', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'data', 'neusight'))
TRAIN_GPUS={'Tesla P4':'Tesla_P4','Tesla P100-PCIE-16GB':'Tesla_P100-PCIE-16GB','Tesla V100-PCIE-32GB':'Tesla_V100-PCIE-32GB','Tesla T4':'Tesla_T4','NVIDIA A100-PCIE-40GB':'NVIDIA_A100-PCIE-40GB'}
UNSEEN=['NVIDIA L4','NVIDIA A100 80GB PCIe']
DEVFILE=dict(TRAIN_GPUS); DEVFILE.update({'NVIDIA L4':'NVIDIA_L4','NVIDIA A100 80GB PCIe':'NVIDIA_A100_80GB_PCIe'})
def spec(dev):
    return json.load(open(f'{ROOT}/devices/{DEVFILE[dev]}.json'))
ELEM=['add','mul','div','pow','addu','mulu','divu','powu','relu','gelu','tanh']
OPS=['bmm','linear']+ELEM+['softmax','ln']
def rowconv(x):
    d={'op':x['OPName'],'lat':float(x['Latency']),'dev':x['Device'],'kname':x.get('Kernel Name',''),
       'grid':(int(float(x['Grid x'])),int(float(x['Grid y'])),int(float(x['Grid z']))) if x.get('Grid x') else None}
    for k in ('B','M','N','K','H'):
        if k in x and x[k]!='': d[k]=int(float(x[k]))
    return d
def load_train():
    rows=[]
    for op in OPS:
        for dev,fn in TRAIN_GPUS.items():
            p=f'{ROOT}/kernels/train/{op}/{fn}.csv'
            for x in csv.DictReader(open(p)):
                r=rowconv(x); r['dev']=dev; r['op']=op; rows.append(r)
    return rows
def load_val():
    rows=[]
    for f in ['bmm','linear','elem','softmax','ln']:
        for x in csv.DictReader(open(f'{ROOT}/kernels/validation/{f}.csv')):
            rows.append(rowconv(x))
    return rows
