#!/usr/bin/env python3
"""TileCast analytical GPU latency model prototype. Run: /usr/bin/python3 model.py [--fit]
Fits (optional) only on TRAIN GPUs' kernels/train files; evaluates train + validation (incl. unseen L4, A100 80GB)."""
import sys, numpy as np
from data import *
from scipy.optimize import least_squares

# ---------------- constants (fitted; see MODEL.md) ----------------
GEMM = dict(e_c=0.9105, a=6.648, c_fix=2722.0, l2_bpc=533.3, e_bw=0.80, t0_bmm=0.0395, t0_linear=0.0465,
            pl_factor=0.5311, pl_bwsm=10.0, lanes_cap=64.0)
TILES = [(128,128),(128,64),(64,128),(128,32),(32,128),(64,64),(64,32),(32,64),(32,32)]
MEM = dict(t0_elem=0.0276, e_elem=0.8706, t0_softmax=0.0338, e_softmax=0.9197, t0_ln=0.0457, e_ln=0.7421, r_sm=11.606)
NIN = {'add':2,'mul':2,'div':2,'pow':2,'addu':1,'mulu':1,'divu':1,'powu':1,'relu':1,'gelu':1,'tanh':1,'softmax':1,'ln':1}
T_LAUNCH_BASELINE = 0.030   # ms, fixed overhead for "roofline + launch" baseline

def specs(rows):
    return {k: np.array([spec(r['dev'])[k] for r in rows], float)
            for k in ('Mem_Bw','Num_Sm','Core_Per_SM','Freq','SingleFLOPs','L2Cache')}
def col(rows,k): return np.array([r.get(k,1) for r in rows], float)

def gemm_ms(B,M,N,K,sp,op,g=GEMM,return_tile=False):
    SM=sp['Num_Sm']; f=sp['Freq']*1e6
    bwsm=sp['Mem_Bw']/SM
    derate=np.where(bwsm<g['pl_bwsm'], g['pl_factor'], 1.0)
    Fsm=np.minimum(sp['Core_Per_SM'],g['lanes_cap'])*2*f*g['e_c']*derate      # FLOP/s per SM
    L2BW=g['l2_bpc']*SM*f                                                         # B/s
    best=None; bi=None
    for i,(tm,tn) in enumerate(TILES):
        tiles=B*np.ceil(M/tm)*np.ceil(K/tn)
        waves=np.ceil(tiles/SM)
        t_tile=2*tm*tn*N*(1+g['a']*(1/tm+1/tn))/Fsm + g['c_fix']/f
        t_l2=4*B*N*(M*np.ceil(K/tn)+K*np.ceil(M/tm))/L2BW
        t=np.maximum(waves*t_tile,t_l2)
        if best is None: best=t.copy(); bi=np.zeros(len(t),int)
        else: bi=np.where(t<best,i,bi); best=np.minimum(best,t)
    t_dram=4*B*(M*N+N*K+M*K)/(g['e_bw']*sp['Mem_Bw']*1e9)
    t=np.maximum(best,t_dram)*1e3 + (g['t0_linear'] if op=='linear' else g['t0_bmm'])
    return (t,bi) if return_tile else t

def mem_ms(op,B,H,sp,m=MEM):
    n=B*H; BW=sp['Mem_Bw']*1e9
    if op in ('softmax','ln'):
        ws=m['r_sm']*sp['Num_Sm']*H*4.0                  # bytes of rows in flight
        miss=np.minimum(1.0, ws/(sp['L2Cache']*1e6))     # fraction of the 2nd read that misses L2
        by=4*n*(2+miss)
        return m['t0_'+op] + by/(m['e_'+op]*BW)*1e3
    by=4*n*(NIN[op]+1)
    return m['t0_elem'] + by/(m['e_elem']*BW)*1e3

def predict(rows):
    out=np.zeros(len(rows))
    groups={}
    for i,r in enumerate(rows): groups.setdefault(r['op'],[]).append(i)
    for op,idx in groups.items():
        rr=[rows[i] for i in idx]; sp=specs(rr)
        if op in ('bmm','linear'): out[idx]=gemm_ms(col(rr,'B'),col(rr,'M'),col(rr,'N'),col(rr,'K'),sp,op)
        else: out[idx]=mem_ms(op,col(rr,'B'),col(rr,'H'),sp)
    return out

def roofline(rows, t_launch=0.0):
    out=np.zeros(len(rows))
    for i,r in enumerate(rows):
        s=spec(r['dev']); op=r['op']
        if op in ('bmm','linear'):
            B,M,N,K=r['B'],r['M'],r['N'],r['K']; fl=2.*B*M*N*K; by=4.*B*(M*N+N*K+M*K)
        else:
            n=r['B']*r['H']; fl=float(n); by=4.*n*(NIN[op]+1)
        out[i]=max(fl/(s['SingleFLOPs']*1e9), by/(s['Mem_Bw']*1e9))*1e3 + t_launch
    return out

CLASSES={'bmm':['bmm'],'linear':['linear'],'elem':list(NIN)[:11],'softmax':['softmax'],'ln':['ln']}
DEVS=list(TRAIN_GPUS)+UNSEEN
SHORT={'Tesla P4':'P4','Tesla P100-PCIE-16GB':'P100','Tesla V100-PCIE-32GB':'V100','Tesla T4':'T4','NVIDIA A100-PCIE-40GB':'A100-40','NVIDIA L4':'L4*','NVIDIA A100 80GB PCIe':'A100-80*'}
def mape(p,y): return np.mean(np.abs(p-y)/y)*100 if len(y) else float('nan')
def table(rows, preds, title):
    y=np.array([r['lat'] for r in rows])
    print(f'\n### {title}\n')
    print('| class | '+' | '.join(SHORT[d] for d in DEVS)+' | unseen (L4+A100-80) |')
    print('|'+'---|'*(len(DEVS)+2))
    for c,ops in CLASSES.items():
        cells=[]
        for d in DEVS:
            m=np.array([r['op'] in ops and r['dev']==d for r in rows])
            cells.append('%.1f'%mape(preds[m],y[m]) if m.sum() else '-')
        m=np.array([r['op'] in ops and r['dev'] in UNSEEN for r in rows])
        cells.append('%.1f'%mape(preds[m],y[m]) if m.sum() else '-')
        print(f'| {c} | '+' | '.join(cells)+' |')

def floors(tr):
    print('\n### Launch floors: 5th percentile latency (ms) of the 10% smallest kernels (by FLOPs or elements), train files\n')
    print('| op | '+' | '.join(SHORT[d] for d in TRAIN_GPUS)+' |'); print('|'+'---|'*6)
    for op in ['bmm','linear','add','addu','relu','gelu','softmax','ln']:
        cells=[]
        for d in TRAIN_GPUS:
            rs=[r for r in tr if r['op']==op and r['dev']==d]
            sz=np.array([r['B']*r['M']*r['N']*r['K'] if op in('bmm','linear') else r['B']*r['H'] for r in rs],float)
            lat=np.array([r['lat'] for r in rs]); m=sz<=np.percentile(sz,10)
            cells.append('%.4f'%np.percentile(lat[m],5))
        print(f'| {op} | '+' | '.join(cells)+' |')

def fit_mem(tr):
    """Fit MEM constants on train files of training GPUs (robust log error)."""
    for cls,ops,keys in [('elem',CLASSES['elem'],['t0_elem','e_elem']),('softmax',['softmax'],['t0_softmax','e_softmax','r_sm']),('ln',['ln'],['t0_ln','e_ln'])]:
        rs=[r for r in tr if r['op'] in ops]; y=np.array([r['lat'] for r in rs])
        def res(q):
            for k,v in zip(keys,q): MEM[k]=v
            return np.log(predict(rs)/y)
        lo=[0,0.1,0.5][:len(keys)]; hi=[0.2,1.0,256][:len(keys)]
        s=least_squares(res,[MEM[k] for k in keys],bounds=(lo,hi),loss='soft_l1',f_scale=0.1)
        for k,v in zip(keys,s.x): MEM[k]=round(float(v),4)
    print('fitted MEM', MEM)

def fit_gemm(tr):
    rng=np.random.default_rng(0); sub=[]
    for op in ['bmm','linear']:
        rs=[r for r in tr if r['op']==op]; sub+=[rs[i] for i in rng.choice(len(rs),10000,replace=False)]
    y=np.array([r['lat'] for r in sub])
    keys=['e_c','a','c_fix','l2_bpc','t0_bmm','t0_linear','pl_factor']
    lo=[0.1,0,0,1,0,0,0.05]; hi=[1,200,1e5,1000,0.2,0.2,1]
    def res(q):
        for k,v in zip(keys,q): GEMM[k]=v
        return np.log(predict(sub)/y)
    s=least_squares(res,[GEMM[k] for k in keys],bounds=(lo,hi),loss='soft_l1',f_scale=0.1)
    for k,v in zip(keys,s.x): GEMM[k]=float('%.4g'%v)
    print('fitted GEMM', GEMM)

if __name__=='__main__':
    tr=load_train(); va=load_val()
    if '--fit' in sys.argv:
        fit_mem(tr)
        if '--fit-gemm' in sys.argv: fit_gemm(tr)
    print('GEMM constants', GEMM); print('MEM constants', MEM)
    floors(tr)
    pt=predict(tr); pv=predict(va)
    table(tr, pt, 'Model MAPE % — TRAIN files (training GPUs)')
    table(va, pv, 'Model MAPE % — VALIDATION files (* = unseen GPU)')
    table(va, roofline(va), 'Roofline MAPE % — VALIDATION, no overhead')
    table(va, roofline(va,T_LAUNCH_BASELINE), f'Roofline + {T_LAUNCH_BASELINE} ms launch MAPE % — VALIDATION')
    table(tr, roofline(tr), 'Roofline MAPE % — TRAIN, no overhead')
    table(tr, roofline(tr,T_LAUNCH_BASELINE), f'Roofline + {T_LAUNCH_BASELINE} ms launch MAPE % — TRAIN')
