import numpy as np
from data import *
TILES=[(128,128),(128,64),(64,128),(128,32),(32,128),(64,64),(64,32),(32,64),(32,32)]
R_ACC=32768.0  # accumulator elements per SM (fixed)
def arrays(rows):
    g=lambda k: np.array([r.get(k,1) for r in rows],dtype=float)
    sp={}
    for k in ('Mem_Bw','Num_Sm','Core_Per_SM','Freq','SingleFLOPs','L2Cache'):
        sp[k]=np.array([spec(r['dev'])[k] for r in rows],dtype=float)
    return g('B'),g('M'),g('N'),g('K'),sp
def gemm_time(B,M,N,K,sp,p,return_tile=False):
    e_c,a,cfix,l2bpc,e_bw,t0,der_a,bw0=p
    SM=sp['Num_Sm']; f=sp['Freq']*1e6
    lanes=np.minimum(sp['Core_Per_SM'],64.)
    bwsm=sp['Mem_Bw']/SM
    derate=np.where(bwsm<bw0,der_a,1.0)
    Fsm=lanes*2*f*e_c*derate          # flop/s per SM
    BW=sp['Mem_Bw']*1e9*e_bw
    L2BW=l2bpc*SM*f
    best=None;bi=None
    for i,(tm,tk) in enumerate(TILES):
        nt=B*np.ceil(M/tm)*np.ceil(K/tk)
        k=max(1,min(16,R_ACC/(tm*tk)))
        waves=np.ceil(nt/SM)
        ttile=2*tm*tk*N*(1+a*(1/tm+1/tk))/Fsm + cfix/f
        tc=waves*ttile
        tl2=4*B*N*(M*np.ceil(K/tk)+K*np.ceil(M/tm))/L2BW
        t=np.maximum(tc,tl2)
        if best is None: best=t; bi=np.zeros_like(t)
        else:
            bi=np.where(t<best,i,bi); best=np.minimum(best,t)
    tdram=4*B*(M*N+N*K+M*K)/BW
    t=np.maximum(best,tdram)*1e3+t0
    return (t,bi) if return_tile else t
